package io.seqcl.checkpoint;

import java.util.Arrays;

/**
 * One tensor of a checkpoint: its shape, its values in row-major (C) order converted to float32, and the dtype it
 * had in the file.
 *
 * <p>Integer and half-precision tensors are widened or converted to float; float64 values are rounded to the
 * nearest float32 (the dtype records what the file held).
 *
 * @param shape the dimensions (empty for a scalar)
 * @param values {@code prod(shape)} values in row-major order
 * @param dtype the file's element type, e.g. "float32", "float16", "int64"
 */
public record Tensor(long[] shape, float[] values, String dtype) {

    /**
     * Checks that the number of values matches the shape.
     *
     * @param shape the dimensions
     * @param values row-major values
     * @param dtype the file's element type
     */
    public Tensor {
        long n = numel(shape);
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + values.length);
        }
        shape = shape.clone();
    }

    /**
     * The number of elements of a shape.
     *
     * @param shape dimensions
     * @return their product (1 for a scalar)
     * @throws IllegalArgumentException on a negative dimension
     */
    public static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** @return a copy of the shape */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return the shape as written in messages, e.g. {@code [12, 8]} */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    /**
     * @param expected another shape
     * @return whether this tensor has exactly that shape
     */
    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }
}
