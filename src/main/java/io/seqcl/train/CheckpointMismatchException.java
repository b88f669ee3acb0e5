package io.seqcl.train;

/**
 * A checkpoint was written by another run (its {@link RunKey} differs) and the trainer was not asked to start
 * fresh; the message names the differing fields.
 */
public class CheckpointMismatchException extends IllegalStateException {

    /**
     * Creates the exception.
     *
     * @param message the checkpoint file and the differing fields
     */
    public CheckpointMismatchException(String message) {
        super(message);
    }
}
