package dev.srtune.model;

import dev.srtune.UserInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Fetches npm packages with the ordinary npm client ({@code npm pack NAME@VERSION}), checks the tarball against
 * its published sha512 integrity and unpacks it into {@code <cache>/npm/<name>-<version>/}. Nothing is installed
 * and nothing lands in the source tree.
 */
public final class NpmPackages {
  private static final Logger LOG = LogManager.getLogger(NpmPackages.class);
  private static final long NPM_TIMEOUT_MINUTES = 10;

  /** A pinned package version and its published integrity ({@code npm view NAME@VERSION dist.integrity}). */
  public record NpmPackage(String name, String version, String integrity) {
    public String spec() {
      return name + "@" + version;
    }

    /** Folder name in the cache, e.g. {@code upscalerjs-esrgan-slim-1.0.0}. */
    public String folderName() {
      return name.replace("@", "").replace('/', '-') + "-" + version;
    }
  }

  private NpmPackages() {}

  /** The unpacked package root (the tarball's {@code package/} folder), fetching it first if needed. */
  public static Path ensure(NpmPackage p) {
    Path dir = ModelStore.cacheDir().resolve("npm").resolve(p.folderName());
    Path root = dir.resolve("package");
    if (Files.isRegularFile(root.resolve("package.json"))) {
      return root;
    }
    try {
      Files.createDirectories(dir.getParent());
      Path work = Files.createTempDirectory(dir.getParent(), "." + p.folderName() + ".");
      try {
        Path tgz = pack(p, work);
        String got = "sha512-" + Base64.getEncoder().encodeToString(sha512(tgz));
        if (!got.equals(p.integrity())) {
          throw new UserInputException("npm gave " + p.spec() + " with integrity " + got + ", not the published "
              + p.integrity() + "; check the npm registry configuration.");
        }
        Path unpacked = work.resolve("unpacked");
        untarGz(tgz, unpacked);
        if (!Files.isRegularFile(unpacked.resolve("package/package.json"))) {
          throw new UserInputException("The npm tarball of " + p.spec() + " has no package/package.json; it is not "
              + "an npm package.");
        }
        dev.srtune.graph.savedmodel.SrSavedModelWriter.replaceDirectory(unpacked, dir);
        LOG.info("fetched {} into {}", p.spec(), dir);
        return root;
      } finally {
        dev.srtune.graph.savedmodel.SrSavedModelWriter.deleteRecursively(work);
      }
    } catch (IOException e) {
      throw new UserInputException("Could not fetch " + p.spec() + " with npm (" + e.getMessage() + "); check that "
          + "npm can reach its registry, or pass --package with an unpacked copy.", e);
    }
  }

  /** Whether an {@code npm} command runs here (tests skip on machines without it). */
  public static boolean npmAvailable() {
    try {
      Process pr = new ProcessBuilder(npmCommand(), "--version").redirectErrorStream(true).start();
      pr.getInputStream().readAllBytes();
      return pr.waitFor(60, TimeUnit.SECONDS) && pr.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String npmCommand() {
    return System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm";
  }

  private static Path pack(NpmPackage p, Path work) throws IOException {
    Path log = work.resolve("npm.log");
    Process pr;
    try {
      pr = new ProcessBuilder(npmCommand(), "pack", p.spec(), "--silent")
          .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UserInputException("npm is not installed or not on the PATH; install Node.js with npm to fetch "
          + p.spec() + ", or pass --package with an unpacked copy of it.", e);
    }
    try {
      if (!pr.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        pr.destroyForcibly();
        throw new IOException("npm pack did not finish within " + NPM_TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      pr.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (pr.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String last = lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
      throw new IOException("npm pack " + p.spec() + " exited with " + pr.exitValue() + ": " + last.strip());
    }
    try (var s = Files.list(work)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
          .orElseThrow(() -> new IOException("npm pack " + p.spec() + " wrote no .tgz"));
    }
  }

  private static byte[] sha512(Path f) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      try (InputStream in = Files.newInputStream(f)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Unpacks the regular files and folders of a gzipped (ustar) tarball below {@code dest}; entries that would land
   * outside it, links and devices are refused. Enough for npm tarballs; no dependency needed.
   */
  static void untarGz(Path tgz, Path dest) throws IOException {
    Path base = dest.toAbsolutePath().normalize();
    Files.createDirectories(base);
    try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
      byte[] header = new byte[512];
      String paxPath = null;
      while (in.readNBytes(header, 0, 512) == 512) {
        if (header[0] == 0) {
          break; // end-of-archive block
        }
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        if (type == 'x') {
          paxPath = paxPath(new String(data, StandardCharsets.UTF_8));
          continue;
        }
        if (type == 'g') {
          continue;
        }
        if (paxPath != null) {
          name = paxPath;
          paxPath = null;
        }
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base)) {
          throw new IOException("tarball entry " + name + " points outside the folder");
        }
        if (type == '5') {
          Files.createDirectories(target);
        } else if (type == '0' || type == 0) {
          Files.createDirectories(target.getParent());
          Files.write(target, data);
        } else {
          throw new IOException("tarball entry " + name + " is not a plain file (type " + type + ")");
        }
      }
    }
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  /** The {@code path} record of a pax extended header ("LEN path=VALUE\n" records). */
  private static String paxPath(String records) {
    for (String line : records.split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0 && line.startsWith("path=", sp + 1)) {
        return line.substring(sp + 6);
      }
    }
    return null;
  }
}
