package io.seqcl.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be read: the message names the file and what is wrong with it. */
public final class CheckpointFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param problem what is wrong
     */
    public CheckpointFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /**
     * @param file the file
     * @param problem what is wrong
     * @param cause the underlying error
     */
    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }
}
