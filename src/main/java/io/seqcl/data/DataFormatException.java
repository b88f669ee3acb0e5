package io.seqcl.data;

import java.nio.file.Path;

/**
 * A data file is malformed, empty, or does not match its registry entry; the message names the file and line.
 */
public class DataFormatException extends RuntimeException {

    private final Path file;
    private final long line;

    /**
     * Creates an exception for a problem on one line of a file.
     *
     * @param file the file
     * @param line the 1-based line number, or 0 if the problem concerns the whole file
     * @param message what is wrong
     */
    public DataFormatException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** @return the file concerned */
    public Path file() {
        return file;
    }

    /** @return the 1-based line, or 0 for a whole-file problem */
    public long line() {
        return line;
    }
}
