package io.seqcl.util;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed UTF-8 strings in binary files (the checkpoints of {@code io.seqcl.train.Trainer} and
 * {@code io.seqcl.cf.CfTrainer}): an int byte count, then the bytes. Unlike {@link DataOutputStream#writeUTF}, a
 * string may exceed 64 KB (configurations logged in a checkpoint do).
 */
public final class DataStreams {

    /** The longest string accepted when reading (16 MiB): a larger count means a corrupt file. */
    public static final int MAX_BYTES = 1 << 24;

    private DataStreams() {
    }

    /**
     * Writes a string as its UTF-8 byte count followed by the bytes.
     *
     * @param out the stream
     * @param v the string
     * @throws IOException on failure
     */
    public static void writeString(DataOutputStream out, String v) throws IOException {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * Reads a string written by {@link #writeString}.
     *
     * @param in the stream
     * @return the string
     * @throws IOException on failure, or if the byte count is negative or above {@link #MAX_BYTES}
     */
    public static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("corrupt string length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
