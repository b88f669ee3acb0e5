package io.seqcl.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Element types of checkpoint tensors and their conversion to float32. */
enum DType {
    FLOAT32("float32", 4),
    FLOAT64("float64", 8),
    FLOAT16("float16", 2),
    BFLOAT16("bfloat16", 2),
    INT64("int64", 8),
    INT32("int32", 4),
    INT16("int16", 2),
    INT8("int8", 1),
    UINT8("uint8", 1),
    BOOL("bool", 1);

    final String label;
    final int bytes;

    DType(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /**
     * Reads element {@code index} of a buffer.
     *
     * @param b the raw bytes with their byte order set
     * @param index element index
     * @return the value as float
     */
    float get(ByteBuffer b, long index) {
        int at = Math.toIntExact(index * bytes);
        return switch (this) {
            case FLOAT32 -> b.getFloat(at);
            case FLOAT64 -> (float) b.getDouble(at);
            case FLOAT16 -> halfToFloat(b.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            case INT64 -> (float) b.getLong(at);
            case INT32 -> (float) b.getInt(at);
            case INT16 -> b.getShort(at);
            case INT8 -> b.get(at);
            case UINT8 -> b.get(at) & 0xff;
            case BOOL -> b.get(at) != 0 ? 1f : 0f;
        };
    }

    /**
     * Converts contiguous raw bytes.
     *
     * @param raw bytes
     * @param order byte order of the file
     * @return the values
     */
    float[] toFloats(byte[] raw, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        float[] v = new float[raw.length / bytes];
        if (this == FLOAT32) {
            b.asFloatBuffer().get(v);
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = get(b, i);
        }
        return v;
    }

    /**
     * IEEE 754 binary16 to float (exact).
     *
     * @param h the 16 bits
     * @return the value
     */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
