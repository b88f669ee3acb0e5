package io.seqcl.checkpoint;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reader of {@code torch.save} zip checkpoints (torch &gt;= 1.6): {@code PREFIX/data.pkl} is a pickle whose tensors
 * are {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} calls and whose storages are
 * persistent ids {@code ('storage', torch.FloatStorage, key, location, numel)} pointing at {@code PREFIX/data/KEY}.
 *
 * <p>The pickle is read by Pyrolite ({@code net.razorvine:pickle}); this class resolves the globals itself (no
 * global constructor registry is touched): tensor rebuilders, storage types and {@code collections.OrderedDict}
 * are understood, any other class becomes an opaque placeholder so that wrappers (optimizer state, configs,
 * numpy scalars) do not stop the reading of the tensors. No code from the file is ever executed.
 */
final class TorchZip {

    private static final String PICKLE = "data.pkl";

    private TorchZip() {
    }

    static StateDict read(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointFormatException(file, "not a readable zip archive (torch.save zip format expected)",
                    e);
        }
        try (zip) {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                int slash = n.indexOf('/');
                if (n.endsWith("/" + PICKLE) && slash == n.length() - PICKLE.length() - 1) {
                    prefix = n.substring(0, slash + 1);
                    break;
                }
            }
            if (prefix == null) {
                throw new CheckpointFormatException(file, "zip archive without ARCHIVE/data.pkl: not a torch.save "
                        + "checkpoint");
            }
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null && new String(entry(file, zip, bo), StandardCharsets.US_ASCII).trim().equals("big")) {
                order = ByteOrder.BIG_ENDIAN;
            }
            byte[] pickle = entry(file, zip, zip.getEntry(prefix + PICKLE));
            Object root;
            TorchUnpickler u = new TorchUnpickler(file, zip, prefix, order);
            try {
                root = u.loads(pickle);
            } catch (UncheckedCheckpointException e) {
                throw e.getCause();
            } catch (RuntimeException | IOException e) {
                throw new CheckpointFormatException(file, "cannot read " + prefix + PICKLE + " (damaged or not a "
                        + "state dict)", e);
            } finally {
                u.close();
            }
            return new StateDict(file.toString(), tensors(file, root));
        }
    }

    private static byte[] entry(Path file, ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (ZipException ex) {
            throw new CheckpointFormatException(file, "damaged zip entry " + e.getName(), ex);
        }
    }

    /** Finds the state dict: the top-level dict, or the one under "state_dict", "model_state_dict" or "model". */
    private static Map<String, Tensor> tensors(Path file, Object root) throws CheckpointFormatException {
        if (root instanceof Tensor) {
            throw new CheckpointFormatException(file, "holds a single tensor, not a state dict");
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new CheckpointFormatException(file, "holds a " + describe(root) + ", not a state dict");
        }
        Map<?, ?> dict = top;
        for (String wrapper : List.of("state_dict", "model_state_dict", "model")) {
            if (top.get(wrapper) instanceof Map<?, ?> inner) {
                dict = inner;
                break;
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (e.getValue() instanceof Tensor t) {
                out.put(String.valueOf(e.getKey()), t);
            }
        }
        if (out.isEmpty()) {
            throw new CheckpointFormatException(file, "no tensors found; top-level keys: " + top.keySet());
        }
        return out;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof PyObject p ? p.qualname : o.getClass().getSimpleName();
    }

    /** Carries a checked error out of Pyrolite's callbacks. */
    private static final class UncheckedCheckpointException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedCheckpointException(CheckpointFormatException cause) {
            super(cause);
        }

        @Override
        public synchronized CheckpointFormatException getCause() {
            return (CheckpointFormatException) super.getCause();
        }
    }

    /** A storage type global such as {@code torch.FloatStorage}. */
    public static final class StorageType implements IObjectConstructor {
        final String name;
        final DType dtype;

        StorageType(String name, DType dtype) {
            this.name = name;
            this.dtype = dtype;
        }

        @Override
        public Object construct(Object[] args) {
            throw new PickleException("storage type torch." + name + " cannot be constructed from a pickle");
        }
    }

    /** One loaded storage: element type and raw bytes. */
    record Storage(DType dtype, String key, ByteBuffer data, long numel) {
    }

    /**
     * A Python dict or {@code collections.OrderedDict}, in insertion order; its pickled state (torch's
     * {@code _metadata}) is dropped.
     */
    public static final class PyDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** @param state ignored instance dict */
        public void __setstate__(HashMap<?, ?> state) {
            // the state of a state dict is its _metadata (module versions), not needed here
        }

        /** @param state ignored instance dict */
        public void __setstate__(PyDict state) {
            // as above
        }
    }

    /** Any other pickled object: kept as its class name and constructor arguments, never interpreted. */
    public static final class PyObject {
        final String qualname;
        final Object[] args;

        PyObject(String qualname, Object[] args) {
            this.qualname = qualname;
            this.args = args;
        }

        /** @param state ignored */
        public void __setstate__(HashMap<?, ?> state) {
        }

        /** @param state ignored */
        public void __setstate__(PyDict state) {
        }

        /** @param state ignored */
        public void __setstate__(Object[] state) {
        }

        /** @param state ignored */
        public void __setstate__(java.util.ArrayList<?> state) {
        }

        @Override
        public String toString() {
            return qualname + Arrays.toString(args);
        }
    }

    private static final class TorchUnpickler extends Unpickler {
        private static final Map<String, DType> STORAGES = Map.of(
                "FloatStorage", DType.FLOAT32, "DoubleStorage", DType.FLOAT64, "HalfStorage", DType.FLOAT16,
                "BFloat16Storage", DType.BFLOAT16, "LongStorage", DType.INT64, "IntStorage", DType.INT32,
                "ShortStorage", DType.INT16, "CharStorage", DType.INT8, "ByteStorage", DType.UINT8,
                "BoolStorage", DType.BOOL);

        private final Path file;
        private final ZipFile zip;
        private final String prefix;
        private final ByteOrder order;
        private final Map<String, Storage> storages = new HashMap<>();

        TorchUnpickler(Path file, ZipFile zip, String prefix, ByteOrder order) {
            this.file = file;
            this.zip = zip;
            this.prefix = prefix;
            this.order = order;
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            if (key == Opcodes.GLOBAL) {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.STACK_GLOBAL) {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.EMPTY_DICT) {
                stack.add(new PyDict()); // insertion-ordered, as Python dicts are
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.SETITEMS) {
                // Pyrolite gathers the items in a HashMap first, which loses their order
                List<Object> items = stack.pop_all_since_marker();
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    dict.put(items.get(i), items.get(i + 1));
                }
                return NO_RETURN_VALUE;
            }
            return super.dispatch(key);
        }

        private IObjectConstructor resolve(String module, String name) {
            String q = module + "." + name;
            switch (q) {
                case "collections.OrderedDict":
                    return args -> new PyDict();
                case "torch._utils._rebuild_tensor_v2":
                case "torch._utils._rebuild_tensor":
                    return this::rebuild;
                case "torch._utils._rebuild_parameter":
                case "torch._utils._rebuild_parameter_with_state":
                    return args -> args[0];
                default:
                    break;
            }
            if (module.equals("torch") && name.endsWith("Storage")) {
                DType t = STORAGES.get(name);
                if (t == null) {
                    throw fail("unsupported storage type torch." + name);
                }
                return new StorageType(name, t);
            }
            return args -> new PyObject(q, args);
        }

        private RuntimeException fail(String problem) {
            return new UncheckedCheckpointException(new CheckpointFormatException(file, problem));
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
                throw fail("unknown persistent id " + (pid instanceof Object[] a ? Arrays.toString(a) : pid));
            }
            if (!(t[1] instanceof StorageType type)) {
                throw fail("storage of unknown type " + t[1]);
            }
            String key = String.valueOf(t[2]);
            long numel = ((Number) t[4]).longValue();
            return storages.computeIfAbsent(key, k -> load(type, k, numel));
        }

        private Storage load(StorageType type, String key, long numel) {
            String name = prefix + "data/" + key;
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                throw fail("missing storage entry " + name);
            }
            byte[] raw;
            try (InputStream in = zip.getInputStream(e)) {
                raw = in.readAllBytes();
            } catch (IOException ex) {
                throw new UncheckedCheckpointException(new CheckpointFormatException(file, "cannot read " + name,
                        ex));
            }
            if (raw.length < numel * type.dtype.bytes) {
                throw fail("storage " + name + " has " + raw.length + " bytes, torch." + type.name + " of " + numel
                        + " elements needs " + numel * type.dtype.bytes);
            }
            return new Storage(type.dtype, key, ByteBuffer.wrap(raw).order(order), numel);
        }

        private Object rebuild(Object[] args) {
            if (args.length < 4 || !(args[0] instanceof Storage s)) {
                throw fail("unexpected arguments to _rebuild_tensor: " + Arrays.toString(args));
            }
            long offset = ((Number) args[1]).longValue();
            long[] size = longs(args[2]);
            long[] stride = longs(args[3]);
            if (size.length != stride.length) {
                throw fail("tensor with size " + Arrays.toString(size) + " but stride " + Arrays.toString(stride));
            }
            long n = Tensor.numel(size);
            float[] v = new float[Math.toIntExact(n)];
            if (n > 0) {
                long last = offset;
                for (int d = 0; d < size.length; d++) {
                    if (stride[d] < 0) {
                        throw fail("negative stride " + Arrays.toString(stride));
                    }
                    last += (size[d] - 1) * stride[d];
                }
                if (offset < 0 || last >= s.numel()) {
                    throw fail("tensor of size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                            + " and offset " + offset + " reads past its storage of " + s.numel() + " elements");
                }
                long[] idx = new long[size.length];
                long pos = offset;
                for (int i = 0; i < v.length; i++) {
                    v[i] = s.dtype().get(s.data(), pos);
                    for (int d = size.length - 1; d >= 0; d--) {
                        idx[d]++;
                        pos += stride[d];
                        if (idx[d] < size[d]) {
                            break;
                        }
                        pos -= idx[d] * stride[d];
                        idx[d] = 0;
                    }
                }
            }
            return new Tensor(size, v, s.dtype().label);
        }

        private long[] longs(Object o) {
            if (!(o instanceof Object[] a)) {
                throw fail("expected a tuple of ints, got " + o);
            }
            long[] out = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = ((Number) a[i]).longValue();
            }
            return out;
        }
    }
}
