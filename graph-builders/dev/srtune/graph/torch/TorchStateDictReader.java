package dev.srtune.graph.torch;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads a PyTorch {@code state_dict} file in either format {@code torch.save} writes:
 * <ul>
 *   <li><b>zip</b> (PyTorch ≥ 1.6, e.g. torchvision's model zoo): {@code <name>/data.pkl} holds the dict, whose
 *       tensors point by persistent id to raw little-endian storages in {@code <name>/data/<key>};</li>
 *   <li><b>legacy</b> (e.g. the LPIPS v0.1 heads): five consecutive pickles (magic number, protocol version,
 *       system info, the dict, the list of storage keys), then for each key an int64 element count and the raw
 *       storage bytes.</li>
 * </ul>
 * The pickles are read with the {@code net.razorvine} unpickler; only the few PyTorch callables a state dict
 * uses are given constructors ({@code _rebuild_tensor_v2}, {@code _rebuild_parameter}, {@code OrderedDict},
 * the typed storages), so a file cannot make it run anything else.
 */
public final class TorchStateDictReader {
  private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  private static final int LEGACY_PROTOCOL = 1001;

  static {
    // razorvine keeps constructors in one static table; registering the same ones again is harmless.
    Unpickler.registerConstructor("collections", "OrderedDict", args -> new PickledOrderedDict(args));
    Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchStateDictReader::rebuildTensor);
    Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", TorchStateDictReader::rebuildTensor);
    Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
    for (StorageType t : StorageType.values()) {
      Unpickler.registerConstructor("torch", t.name() + "Storage", t);
    }
  }

  private TorchStateDictReader() {}

  /** Element types of PyTorch's typed storages, with their size in bytes. */
  enum StorageType implements IObjectConstructor {
    Float(4), Double(8), Half(2), BFloat16(2), Long(8), Int(4), Short(2), Char(1), Byte(1), Bool(1);

    final int bytes;

    StorageType(int bytes) {
      this.bytes = bytes;
    }

    @Override
    public Object construct(Object[] args) {
      throw new PickleException("a state dict does not construct storages directly");
    }

    float[] decode(ByteBuffer b, int count) {
      b.order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[count];
      for (int i = 0; i < count; i++) {
        out[i] = switch (this) {
          case Float -> b.getFloat();
          case Double -> (float) b.getDouble();
          case Half -> halfToFloat(b.getShort());
          case BFloat16 -> java.lang.Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
          case Long -> b.getLong();
          case Int -> b.getInt();
          case Short -> b.getShort();
          case Char -> b.get();
          case Byte -> b.get() & 0xff;
          case Bool -> b.get() != 0 ? 1 : 0;
        };
      }
      return out;
    }
  }

  /** What a persistent id names: a storage of {@code type} called {@code key} (legacy: maybe a view into it). */
  record StorageRef(StorageType type, String key, long elements, long viewOffset) {}

  /** A tensor as the pickle describes it, before its storage's bytes are known. */
  record TensorView(StorageRef storage, long offset, int[] size, long[] stride) {
    TorchTensor materialise(float[] storageValues) {
      int n = 1;
      for (int d : size) {
        n *= d;
      }
      float[] out = new float[n];
      int[] idx = new int[size.length];
      for (int i = 0; i < n; i++) {
        long p = storage.viewOffset() + offset;
        for (int d = 0; d < size.length; d++) {
          p += idx[d] * stride[d];
        }
        if (p < 0 || p >= storageValues.length) {
          throw new PickleException("tensor view outside its storage " + storage.key());
        }
        out[i] = storageValues[(int) p];
        for (int d = size.length - 1; d >= 0 && ++idx[d] == size[d]; d--) {
          idx[d] = 0;
        }
      }
      return new TorchTensor(storage.type().name() + "Storage", size, out);
    }
  }

  /** {@code collections.OrderedDict} as pickled by PyTorch, including the {@code _metadata} a BUILD sets. */
  public static final class PickledOrderedDict extends LinkedHashMap<Object, Object> {
    PickledOrderedDict(Object[] args) {
      if (args.length > 0 && args[0] instanceof List<?> items) {
        for (Object item : items) {
          List<?> kv = item instanceof Object[] a ? List.of(a) : (List<?>) item;
          put(kv.get(0), kv.get(1));
        }
      }
    }

    /** Called reflectively by the unpickler's BUILD; the state (module metadata) is not needed. */
    public void __setstate__(HashMap<String, Object> state) {}
  }

  private static Object rebuildTensor(Object[] args) {
    StorageRef s = (StorageRef) args[0];
    long offset = ((Number) args[1]).longValue();
    Object[] size = (Object[]) args[2];
    Object[] stride = (Object[]) args[3];
    int[] sz = new int[size.length];
    long[] st = new long[stride.length];
    for (int i = 0; i < sz.length; i++) {
      sz[i] = ((Number) size[i]).intValue();
      st[i] = ((Number) stride[i]).longValue();
    }
    return new TensorView(s, offset, sz, st);
  }

  /** Reads every tensor of either format, telling them apart by the zip signature. */
  public static TorchStateDict read(Path file) throws IOException {
    return read(file, key -> true);
  }

  /**
   * Reads the tensors whose names {@code wanted} accepts; the storages of the others are skipped, not decoded
   * (torchvision's VGG16 file is 528 MB, of which LPIPS needs the 59 MB of {@code features.*}).
   */
  public static TorchStateDict read(Path file, Predicate<String> wanted) throws IOException {
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 4) < 2) {
        throw new IOException(file + " is too short to be a PyTorch file");
      }
    }
    if (head[0] == 'P' && head[1] == 'K') {
      return readZip(file, wanted);
    }
    if ((head[0] & 0xff) == 0x80) {
      return readLegacy(file, wanted);
    }
    throw new IOException(file + " is neither a zip-format nor a legacy PyTorch file (the tar format of "
        + "PyTorch before 0.1.10 is not read; re-save it with a current torch.save)");
  }

  static TorchStateDict readZip(Path file, Predicate<String> wanted) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
          .findFirst().orElseThrow(() -> new IOException(file + " is a zip without data.pkl, not a torch.save file"));
      String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
      ZipEntry order = zip.getEntry(prefix + "byteorder");
      if (order != null) {
        try (InputStream in = zip.getInputStream(order)) {
          String o = new String(in.readAllBytes()).trim();
          if (!o.equals("little")) {
            throw new IOException(file + " was saved with byte order '" + o + "'; only little-endian files are read");
          }
        }
      }
      Object root;
      try (InputStream in = new BufferedInputStream(zip.getInputStream(pkl))) {
        root = new StateDictUnpickler().load(in);
      }
      Map<String, float[]> storages = new HashMap<>();
      return collect(file, root, "zip", wanted, ref -> storages.computeIfAbsent(ref.key(), k -> {
        ZipEntry e = zip.getEntry(prefix + "data/" + k);
        if (e == null) {
          throw new PickleException("storage data/" + k + " is missing");
        }
        try (InputStream in = zip.getInputStream(e)) {
          byte[] bytes = in.readAllBytes();
          if (bytes.length < ref.elements() * ref.type().bytes) {
            throw new PickleException("storage data/" + k + " is shorter than its " + ref.elements() + " elements");
          }
          return ref.type().decode(ByteBuffer.wrap(bytes), (int) ref.elements());
        } catch (IOException ex) {
          throw new PickleException("cannot read storage data/" + k + ": " + ex.getMessage());
        }
      }));
    } catch (PickleException | ClassCastException e) {
      throw new IOException(file + " is not a PyTorch state dict this reader understands: " + e.getMessage(), e);
    }
  }

  static TorchStateDict readLegacy(Path file, Predicate<String> wanted) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      Object magic = new Unpickler().load(in);
      if (!(magic instanceof Number n) || !new BigInteger(n.toString()).equals(LEGACY_MAGIC)) {
        throw new IOException(file + " does not start with PyTorch's magic number");
      }
      Object protocol = new Unpickler().load(in);
      if (!(protocol instanceof Number p) || p.intValue() != LEGACY_PROTOCOL) {
        throw new IOException(file + " has PyTorch protocol " + protocol + ", not " + LEGACY_PROTOCOL);
      }
      Object sysInfo = new Unpickler().load(in);
      if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
        throw new IOException(file + " was saved on a big-endian machine; only little-endian files are read");
      }
      StateDictUnpickler unpickler = new StateDictUnpickler();
      Object root = unpickler.load(in);
      List<?> keys = (List<?>) new Unpickler().load(in);
      java.util.Set<String> needed = neededStorages(root, wanted);
      Map<String, float[]> storages = new HashMap<>();
      for (Object k : keys) {
        String key = k.toString();
        StorageRef ref = unpickler.storages.get(key);
        if (ref == null) {
          throw new IOException(file + " lists storage " + key + " that no tensor uses");
        }
        long count = Long.reverseBytes(in.readLong()); // int64 little-endian element count
        if (count < 0) {
          throw new IOException(file + ": storage " + key + " has an invalid size " + count);
        }
        if (!needed.contains(key)) {
          in.skipNBytes(count * ref.type().bytes);
          continue;
        }
        if (count * ref.type().bytes > Integer.MAX_VALUE - 8) {
          throw new IOException(file + ": storage " + key + " is larger than 2 GB, which this reader does not hold");
        }
        byte[] bytes = in.readNBytes((int) count * ref.type().bytes);
        if (bytes.length != count * ref.type().bytes) {
          throw new IOException(file + " ends inside storage " + key);
        }
        storages.put(key, ref.type().decode(ByteBuffer.wrap(bytes), (int) count));
      }
      return collect(file, root, "legacy", wanted, ref -> {
        float[] v = storages.get(ref.key());
        if (v == null) {
          throw new PickleException("storage " + ref.key() + " has no data in the file");
        }
        return v;
      });
    } catch (PickleException | ClassCastException e) {
      throw new IOException(file + " is not a PyTorch state dict this reader understands: " + e.getMessage(), e);
    }
  }

  /** Keys of the storages that the wanted tensors of a (possibly wrapped) state dict view. */
  private static java.util.Set<String> neededStorages(Object root, Predicate<String> wanted) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    if (root instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getValue() instanceof TensorView v && wanted.test(e.getKey().toString())) {
          keys.add(v.storage().key());
        } else if (e.getValue() instanceof Map<?, ?> nested) {
          keys.addAll(neededStorages(nested, wanted));
        }
      }
    }
    return keys;
  }

  private static TorchStateDict collect(Path file, Object root, String format, Predicate<String> wanted,
      java.util.function.Function<StorageRef, float[]> storage) throws IOException {
    if (!(root instanceof Map<?, ?> map)) {
      throw new IOException(file + " holds a " + (root == null ? "None" : root.getClass().getSimpleName())
          + ", not a state dict (a whole pickled model is not read; save model.state_dict())");
    }
    Map<String, TorchTensor> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getValue() instanceof TensorView v) {
        if (wanted.test(e.getKey().toString())) {
          out.put(e.getKey().toString(), v.materialise(storage.apply(v.storage())));
        }
      } else if (e.getValue() instanceof Map<?, ?> nested && out.isEmpty() && map.size() == 1) {
        // {'state_dict': {...}} wrappers, as some checkpoints have.
        return collect(file, nested, format, wanted, storage);
      }
    }
    return new TorchStateDict(out, format);
  }

  /** Resolves PyTorch's persistent ids ('storage', type, key, location, numel[, view]) to {@link StorageRef}s. */
  private static final class StateDictUnpickler extends Unpickler {
    final Map<String, StorageRef> storages = new LinkedHashMap<>();

    /** SETITEMS in pickle order (the library's own goes through a HashMap), so the dict keeps the file's order. */
    @Override
    @SuppressWarnings("unchecked")
    protected Object dispatch(short opcode) throws PickleException, IOException {
      if (opcode != 'u') {
        return super.dispatch(opcode);
      }
      List<Object> items = stack.pop_all_since_marker();
      Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
      for (int i = 0; i + 1 < items.size(); i += 2) {
        dict.put(items.get(i), items.get(i + 1));
      }
      return NO_RETURN_VALUE;
    }

    @Override
    protected Object persistentLoad(Object pid) {
      Object[] t = pid instanceof Object[] a ? a : ((List<?>) pid).toArray();
      if (t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
        throw new PickleException("unsupported persistent id " + java.util.Arrays.deepToString(t));
      }
      String key = t[2].toString();
      long elements = ((Number) t[4]).longValue();
      long viewOffset = 0;
      if (t.length > 5 && t[5] instanceof Object[] view) {
        viewOffset = ((Number) view[1]).longValue();
      }
      StorageRef ref = storages.computeIfAbsent(key, k -> new StorageRef(type, k, elements, 0));
      return viewOffset == 0 ? ref : new StorageRef(type, key, elements, viewOffset);
    }
  }

  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal
      return sign != 0 ? -v : v;
    }
    if (exp == 31) {
      return java.lang.Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return java.lang.Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
