package dev.srtune.image;

import dev.srtune.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes numpy {@code .npy} files of float32 or float64 values in C order. */
public final class Npy {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|]?)([fi])(\\d)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** A float array with its shape. */
  public record Array(int[] shape, float[] data) {
    public int dim(int i) {
      return shape[i];
    }

    /** Interprets an [h,w,3] array as an image. */
    public RgbImage toImage() {
      if (shape.length != 3 || shape[2] != 3) {
        throw new IllegalArgumentException("expected an HWC RGB array, got shape " + java.util.Arrays.toString(shape));
      }
      return new RgbImage(shape[0], shape[1], data);
    }
  }

  public static Array read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UserInputException("Cannot read " + path + " (" + e.getMessage() + "); check the path.");
    }
    if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new UserInputException(path + " is not a .npy file; save the array with numpy.save.");
    }
    int major = bytes[6];
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = major == 1 ? Short.toUnsignedInt(bb.getShort(8)) : bb.getInt(8);
    int dataStart = (major == 1 ? 10 : 12) + headerLen;
    String header = new String(bytes, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher o = ORDER.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !o.find() || !s.find()) {
      throw new UserInputException(path + " has a .npy header this reader does not understand: " + header.trim());
    }
    if (o.group(1).equals("True")) {
      throw new UserInputException(path + " is in Fortran order; save it with numpy.ascontiguousarray first.");
    }
    String kind = d.group(2);
    int width = Integer.parseInt(d.group(3));
    if (!kind.equals("f") || (width != 4 && width != 8)) {
      throw new UserInputException(path + " holds " + kind + width + " values; save it as float32 or float64.");
    }
    ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String[] dims = s.group(1).split(",");
    int n = 1;
    int rank = 0;
    int[] shape = new int[dims.length];
    for (String dim : dims) {
      if (!dim.isBlank()) {
        shape[rank] = Integer.parseInt(dim.trim());
        n *= shape[rank++];
      }
    }
    shape = java.util.Arrays.copyOf(shape, rank);
    if (bytes.length - dataStart < (long) n * width) {
      throw new UserInputException(path + " is truncated; write it again.");
    }
    ByteBuffer body = ByteBuffer.wrap(bytes, dataStart, n * width).order(order);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = width == 4 ? body.getFloat(dataStart + 4 * i) : (float) body.getDouble(dataStart + 8 * i);
    }
    return new Array(shape, out);
  }

  /** Writes float32 little-endian, C order, format version 1.0. */
  public static void write(Path path, int[] shape, float[] data) throws IOException {
    StringBuilder sh = new StringBuilder();
    for (int dim : shape) {
      sh.append(dim).append(shape.length == 1 ? "," : ", ");
    }
    String shapeText = shape.length == 1 ? sh.toString() : sh.substring(0, Math.max(0, sh.length() - 2));
    StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeText + "), }");
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    bb.putShort((short) header.length()).put(header.toString().getBytes(StandardCharsets.US_ASCII));
    for (float v : data) {
      bb.putFloat(v);
    }
    ImageFiles.AtomicFiles.write(path, out -> out.write(bb.array()));
  }
}
