package dev.srtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball reader on archives the test writes in ustar layout, and package-name resolution. */
class NpmPackagesTest {
  @TempDir Path tmp;

  @Test
  void unpacksFilesAndFolders() throws Exception {
    Path tgz = tmp.resolve("a.tgz");
    writeTgz(tgz, new String[] {"package/", "package/models/x4/model.json"}, new String[] {null, "{\"a\":1}"});
    NpmPackages.untarGz(tgz, tmp.resolve("out"));
    assertEquals("{\"a\":1}", Files.readString(tmp.resolve("out/package/models/x4/model.json")));
  }

  @Test
  void refusesEntriesOutsideTheFolder() throws Exception {
    Path tgz = tmp.resolve("evil.tgz");
    writeTgz(tgz, new String[] {"package/../../evil.txt"}, new String[] {"x"});
    IOException e = assertThrows(IOException.class, () -> NpmPackages.untarGz(tgz, tmp.resolve("out")));
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("evil.txt")));
  }

  @Test
  void packageNamesResolveWithOrWithoutScopeAndVersion() {
    assertEquals(UpscalerJsModels.ESRGAN_SLIM, UpscalerJsModels.byName("esrgan-slim"));
    assertEquals(UpscalerJsModels.ESRGAN_SLIM, UpscalerJsModels.byName("@upscalerjs/esrgan-slim"));
    assertEquals(UpscalerJsModels.ESRGAN_LEGACY, UpscalerJsModels.byName("@upscalerjs/esrgan-legacy@1.0.0"));
    UserInputException e = assertThrows(UserInputException.class, () -> UpscalerJsModels.byName("esrgan-huge"));
    assertTrue(e.getMessage().contains("esrgan-huge"), e.getMessage());
    assertEquals("upscalerjs-esrgan-slim-1.0.0", UpscalerJsModels.ESRGAN_SLIM.folderName());
  }

  /** Folders end in "/" (type 5); files carry their content (type 0). */
  private static void writeTgz(Path tgz, String[] names, String[] contents) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (int i = 0; i < names.length; i++) {
      byte[] data = contents[i] == null ? new byte[0] : contents[i].getBytes(StandardCharsets.UTF_8);
      byte[] h = new byte[512];
      put(h, 0, names[i]);
      put(h, 100, "0000644");
      put(h, 124, String.format("%011o", data.length));
      h[156] = (byte) (contents[i] == null ? '5' : '0');
      put(h, 257, "ustar");
      tar.write(h);
      tar.write(data);
      tar.write(new byte[(512 - data.length % 512) % 512]);
    }
    tar.write(new byte[1024]);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz))) {
      out.write(tar.toByteArray());
    }
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
