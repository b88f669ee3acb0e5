package io.seqcl.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * An ordered, named set of trainable parameters that owns the native memory they live in.
 *
 * <p>Initial values are drawn from a Java {@link SplittableRandom}, so the same seed gives the same weights on
 * every machine and engine. Names are dotted paths ("enc.layer0.attn.q.weight"); parameter groups for
 * multi-stage (meta) training are selected by name predicates.
 */
public final class Params implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, NDArray> map = new LinkedHashMap<>();

    /** Creates an empty store on the configured device ({@link Devices#current()}). */
    public Params() {
        this(Devices.current());
    }

    /**
     * Creates an empty store on a device.
     *
     * @param device where parameters live
     */
    public Params(Device device) {
        this.manager = NDManager.newBaseManager(device);
    }

    /** @return the manager that owns the parameters; long-lived arrays of a model may be attached to it */
    public NDManager manager() {
        return manager;
    }

    /**
     * Adds a parameter drawn from Normal(0, std).
     *
     * @param name unique name
     * @param std standard deviation
     * @param rng random stream
     * @param shape shape
     * @return the parameter
     */
    public NDArray normal(String name, double std, SplittableRandom rng, long... shape) {
        long n = new Shape(shape).size();
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * std);
        }
        return add(name, v, shape);
    }

    /**
     * Adds a parameter filled with a constant.
     *
     * @param name unique name
     * @param value the constant
     * @param shape shape
     * @return the parameter
     */
    public NDArray constant(String name, float value, long... shape) {
        float[] v = new float[Math.toIntExact(new Shape(shape).size())];
        java.util.Arrays.fill(v, value);
        return add(name, v, shape);
    }

    /**
     * Adds a parameter with given values.
     *
     * @param name unique name
     * @param values row-major values
     * @param shape shape
     * @return the parameter
     */
    public NDArray add(String name, float[] values, long... shape) {
        if (map.containsKey(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' is defined twice");
        }
        NDArray a = manager.create(values, new Shape(shape));
        a.setName(name);
        a.setRequiresGradient(true);
        map.put(name, a);
        return a;
    }

    /**
     * Looks a parameter up.
     *
     * @param name its name
     * @return the parameter
     * @throws IllegalArgumentException naming the known prefixes if absent
     */
    public NDArray get(String name) {
        NDArray a = map.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return a;
    }

    /** @return the parameter names in definition order */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(map.keySet()));
    }

    /**
     * Names of the parameters matching a predicate.
     *
     * @param which selection
     * @return matching names in definition order
     */
    public List<String> names(Predicate<String> which) {
        List<String> out = new ArrayList<>();
        for (String n : map.keySet()) {
            if (which.test(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** @return true if the store holds no parameter (e.g. Pop) */
    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** @return the total number of scalar parameters */
    public long count() {
        long c = 0;
        for (NDArray a : map.values()) {
            c += a.size();
        }
        return c;
    }

    /**
     * Turns gradient tracking on or off for a group (stop-gradient for a training stage).
     *
     * @param which selection
     * @param trainable whether the group receives gradients
     */
    public void setTrainable(Predicate<String> which, boolean trainable) {
        for (Map.Entry<String, NDArray> e : map.entrySet()) {
            if (which.test(e.getKey())) {
                e.getValue().setRequiresGradient(trainable);
            }
        }
    }

    /** Sets every accumulated gradient to zero (gradients accumulate across backward passes). */
    public void zeroGradients() {
        for (NDArray a : map.values()) {
            if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    /**
     * Copies every parameter to the Java heap.
     *
     * @return name to row-major float values, in definition order
     */
    public Map<String, float[]> snapshot() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : map.entrySet()) {
            s.put(e.getKey(), e.getValue().toFloatArray());
        }
        return s;
    }

    /**
     * Overwrites parameter values in place from a snapshot.
     *
     * @param snapshot values from {@link #snapshot()}
     * @throws IllegalArgumentException if a name is missing or a size differs
     */
    public void restore(Map<String, float[]> snapshot) {
        for (Map.Entry<String, NDArray> e : map.entrySet()) {
            float[] v = snapshot.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("snapshot has no value for parameter '" + e.getKey() + "'");
            }
            NDArray a = e.getValue();
            if (v.length != a.size()) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has " + a.size()
                        + " values but the snapshot has " + v.length);
            }
            try (NDArray src = manager.create(v, a.getShape())) {
                // in-place arithmetic instead of set/copyTo: those print a libtorch deprecation warning for
                // arrays that require gradients; a parameter being restored is finite, so 0 * a is exactly 0
                a.muli(0).addi(src);
            }
        }
    }

    /**
     * Writes all parameters to a stream.
     *
     * @param out the stream
     * @throws IOException on write failure
     */
    public void write(DataOutputStream out) throws IOException {
        writeArrays(out, snapshot());
    }

    /**
     * Reads parameters written by {@link #write(DataOutputStream)} into this store.
     *
     * @param in the stream
     * @throws IOException on read failure or if names/sizes do not match
     */
    public void read(DataInputStream in) throws IOException {
        try {
            restore(readArrays(in));
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint does not match the model: " + e.getMessage(), e);
        }
    }

    /**
     * Writes named float arrays (used for parameters and optimizer state).
     *
     * @param out stream
     * @param arrays values
     * @throws IOException on failure
     */
    public static void writeArrays(DataOutputStream out, Map<String, float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            float[] v = e.getValue();
            out.writeInt(v.length);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(v.length * 4);
            bb.asFloatBuffer().put(v);
            out.write(bb.array());
        }
    }

    /**
     * Reads named float arrays written by {@link #writeArrays}.
     *
     * @param in stream
     * @return the arrays in written order
     * @throws IOException on failure
     */
    public static Map<String, float[]> readArrays(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int len = in.readInt();
            byte[] bytes = new byte[len * 4];
            in.readFully(bytes);
            float[] v = new float[len];
            java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
            m.put(name, v);
        }
        return m;
    }

    /**
     * Saves the parameters atomically to a file (written to a temporary file, then moved).
     *
     * @param file target file
     * @throws IOException on failure; no partial file is left at {@code file}
     */
    public void save(Path file) throws IOException {
        io.seqcl.util.AtomicFiles.write(file, out -> write(new DataOutputStream(out)));
    }

    /**
     * Loads parameters saved by {@link #save(Path)}.
     *
     * @param file the file
     * @throws IOException if it cannot be read or does not match this model
     */
    public void load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                java.nio.file.Files.newInputStream(file)))) {
            read(in);
        }
    }

    /** @return the data type of the parameters (float32) */
    public DataType dataType() {
        return DataType.FLOAT32;
    }

    @Override
    public void close() {
        manager.close();
    }
}
