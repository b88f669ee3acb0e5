package io.seqcl.train;

/**
 * Thrown by a trainer that stopped between two steps because a stop was requested ({@link StopRequest}); its
 * message names the last epoch whose checkpoint was written.
 */
public final class RunStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason what requested the stop, e.g. {@code SIGTERM}
     * @param message where training stopped and how to continue
     */
    public RunStoppedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** @return what requested the stop, e.g. {@code SIGTERM} */
    public String reason() {
        return reason;
    }

    /** @return the shell's exit status for the signal: 143 for SIGTERM, 130 for SIGINT and anything else */
    public int exitCode() {
        return "SIGTERM".equals(reason) ? 143 : 130;
    }
}
