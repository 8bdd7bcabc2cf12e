package dev.srtune.model;

import dev.srtune.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where fetched weights live ({@code $SRTUNE_CACHE}, default {@code ~/.cache/srtune}) and how they get there:
 * copied from {@code $SRTUNE_MODEL_MIRROR/<model>/} when that is set, else downloaded from the model's original
 * repository; every file is checked against its published sha256 before it is kept.
 */
public final class ModelStore {
  private static final Logger LOG = LogManager.getLogger(ModelStore.class);
  public static final String CACHE_ENV = "SRTUNE_CACHE";
  public static final String MIRROR_ENV = "SRTUNE_MODEL_MIRROR";

  /**
   * A file of a model: where it is in the cache and mirror, where it comes from, and its sha256 (the full digest,
   * or the published prefix where only that is known).
   */
  public record Asset(String model, String file, String url, String sha256, String... mirrorAlternatives) {}

  public static final Asset ENHANCENET_WEIGHTS = new Asset("enhancenet", "weights",
      "https://github.com/msmsajjadi/EnhanceNet-Code/raw/master/weights",
      "4250b3dc5e69c5bd625e90543fd588ce2fff88510f874f9e9394c48c44b96434");
  public static final Asset ENHANCENET_EAGLE = new Asset("enhancenet", "eagle.png",
      "https://github.com/msmsajjadi/EnhanceNet-Code/raw/master/input/eagle.png",
      "b50881d546819eb5e845894a1f7426893f1c408c07f34a4312e46dadd91df2f5", "input/eagle.png");

  private ModelStore() {}

  public static Path cacheDir() {
    String env = System.getenv(CACHE_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "srtune");
  }

  /** The cached file, fetching it first if needed. */
  public static Path ensure(Asset a) {
    Path target = cacheDir().resolve(a.model()).resolve(a.file());
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "." + a.file(), ".part");
      try {
        fetchInto(a, tmp);
        String got = sha256(tmp);
        // A short digest is a published prefix (torchvision names its files after the first hex digits).
        if (!(a.sha256().length() < 64 ? got.startsWith(a.sha256()) : got.equals(a.sha256()))) {
          throw new UserInputException("The fetched " + a.model() + "/" + a.file() + " has sha256 " + got
              + ", not the published " + a.sha256() + "; check the mirror or the download.");
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("fetched {} into {}", a.model() + "/" + a.file(), target);
        return target;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UserInputException("Could not fetch " + a.model() + "/" + a.file() + " (" + e.getMessage()
          + "); set " + MIRROR_ENV + " to a folder holding " + a.model() + "/" + a.file() + ", or run on a machine "
          + "that reaches " + URI.create(a.url()).getHost() + ".", e);
    }
  }

  private static void fetchInto(Asset a, Path tmp) throws IOException {
    String mirror = System.getenv(MIRROR_ENV);
    if (mirror != null && !mirror.isBlank()) {
      Path base = Path.of(mirror).resolve(a.model());
      Path src = base.resolve(a.file());
      for (int i = 0; !Files.isRegularFile(src) && i < a.mirrorAlternatives().length; i++) {
        src = base.resolve(a.mirrorAlternatives()[i]);
      }
      if (Files.isRegularFile(src)) {
        Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      LOG.info("{} has no {}; downloading it", MIRROR_ENV, a.model() + "/" + a.file());
    }
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(20)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(a.url())).timeout(Duration.ofMinutes(5)).build();
    try {
      HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      if (resp.statusCode() != 200) {
        throw new IOException("HTTP " + resp.statusCode() + " from " + a.url());
      }
      try (InputStream in = resp.body()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (IOException e) {
      throw new IOException("download from " + a.url() + " failed: " + e, e);
    }
  }

  public static String sha256(Path p) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(p)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
