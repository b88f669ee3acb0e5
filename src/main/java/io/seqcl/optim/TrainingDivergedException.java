package io.seqcl.optim;

/** Training produced a NaN or infinite loss, or a loss above the configured limit; the message says where. */
public class TrainingDivergedException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message where and how training diverged, with a hint
     */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
