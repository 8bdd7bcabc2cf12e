package dev.srtune.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small PyTorch state dicts in the two formats {@code torch.save} produces, byte layout as PyTorch's
 * serialization.py writes them (protocol-2 pickles emitted opcode by opcode, independent of the reader's
 * unpickler), so importers can be tested on networks whose real weights are not available here.
 */
public final class TorchStateDictFiles {
  private TorchStateDictFiles() {}

  /**
   * A float32 tensor to write: {@code storage} values, viewed with {@code offset}, {@code shape} and
   * {@code stride} (C-contiguous unless given). Tensors naming the same {@code storageKey} share one storage.
   */
  public record Entry(String storageKey, float[] storage, long offset, int[] shape, long[] stride) {
    public static Entry contiguous(String storageKey, int[] shape, float[] values) {
      long[] stride = new long[shape.length];
      long s = 1;
      for (int i = shape.length - 1; i >= 0; i--) {
        stride[i] = s;
        s *= shape[i];
      }
      return new Entry(storageKey, values, 0, shape, stride);
    }
  }

  /** Zip format (PyTorch >= 1.6): {@code <archive>/data.pkl}, {@code <archive>/data/<key>}, {@code version}. */
  public static void writeZip(Path file, String archive, Map<String, Entry> dict) throws IOException {
    Pickle p = new Pickle();
    p.proto();
    p.global("collections", "OrderedDict");
    p.op(')');
    p.op('R');
    p.op('(');
    for (Map.Entry<String, Entry> e : dict.entrySet()) {
      p.unicode(e.getKey());
      tensor(p, e.getValue(), false);
    }
    p.op('u');
    p.op('.');
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      stored(zip, archive + "/data.pkl", p.bytes());
      List<String> done = new ArrayList<>();
      for (Entry e : dict.values()) {
        if (!done.contains(e.storageKey())) {
          done.add(e.storageKey());
          stored(zip, archive + "/data/" + e.storageKey(), floatsLe(e.storage()));
        }
      }
      stored(zip, archive + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Legacy format: magic, protocol 1001, sys info, the dict, the storage keys, then each storage's count and bytes. */
  public static void writeLegacy(Path file, Map<String, Entry> dict) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Pickle magic = new Pickle();
    magic.proto();
    magic.long1(new byte[] {0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19});
    magic.op('.');
    out.write(magic.bytes());
    Pickle protocol = new Pickle();
    protocol.proto();
    protocol.binint(1001);
    protocol.op('.');
    out.write(protocol.bytes());
    Pickle sys = new Pickle();
    sys.proto();
    sys.op('}');
    sys.op('(');
    sys.unicode("protocol_version");
    sys.binint(1001);
    sys.unicode("little_endian");
    sys.op(0x88); // NEWTRUE
    sys.op('u');
    sys.op('.');
    out.write(sys.bytes());
    Pickle p = new Pickle();
    p.proto();
    p.global("collections", "OrderedDict");
    p.op(']');
    p.op('(');
    for (Map.Entry<String, Entry> e : dict.entrySet()) {
      p.op(']');
      p.op('(');
      p.unicode(e.getKey());
      tensor(p, e.getValue(), true);
      p.op('e');
    }
    p.op('e');
    p.op(0x85); // TUPLE1
    p.op('R');
    // PyTorch sets the module metadata with BUILD; the reader must accept it.
    p.op('}');
    p.unicode("_metadata");
    p.op('}');
    p.op('s');
    p.op('b');
    p.op('.');
    out.write(p.bytes());
    List<Entry> storages = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Entry e : dict.values()) {
      if (!keys.contains(e.storageKey())) {
        keys.add(e.storageKey());
        storages.add(e);
      }
    }
    Pickle k = new Pickle();
    k.proto();
    k.op(']');
    k.op('(');
    keys.forEach(k::unicode);
    k.op('e');
    k.op('.');
    out.write(k.bytes());
    for (Entry e : storages) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(e.storage().length).array());
      out.write(floatsLe(e.storage()));
    }
    Files.write(file, out.toByteArray());
  }

  private static void tensor(Pickle p, Entry e, boolean legacy) {
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.op('(');
    p.op('(');
    p.unicode("storage");
    p.global("torch", "FloatStorage");
    p.unicode(e.storageKey());
    p.unicode("cpu");
    p.binint(e.storage().length);
    if (legacy) {
      p.op('N'); // no view
    }
    p.op('t');
    p.op('Q');
    p.binint((int) e.offset());
    p.op('(');
    for (int d : e.shape()) {
      p.binint(d);
    }
    p.op('t');
    p.op('(');
    for (long s : e.stride()) {
      p.binint((int) s);
    }
    p.op('t');
    p.op(0x89); // NEWFALSE: requires_grad
    p.global("collections", "OrderedDict");
    p.op(')');
    p.op('R');
    p.op('t');
    p.op('R');
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  private static byte[] floatsLe(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  /** The handful of protocol-2 opcodes a state dict needs. */
  private static final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void op(int code) {
      out.write(code);
    }

    void proto() {
      op(0x80);
      op(2);
    }

    void global(String module, String name) {
      op('c');
      write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    void unicode(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      op('X');
      write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
      write(b);
    }

    void binint(int v) {
      op('J');
      write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    void long1(byte[] littleEndian) {
      op(0x8a);
      op(littleEndian.length);
      write(littleEndian);
    }

    private void write(byte[] b) {
      out.write(b, 0, b.length);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** Writes {@code dict} in {@code format} ("zip" or "legacy"). */
  public static void write(Path file, String format, Map<String, Entry> dict) throws IOException {
    if (format.equals("zip")) {
      writeZip(file, "archive", dict);
    } else {
      writeLegacy(file, dict);
    }
  }
}
