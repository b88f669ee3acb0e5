package io.seqcl.config;

/**
 * A configuration, experiment file or {@code --set} value that cannot be used; the message names the source (file
 * and line where known), the key path, and the allowed keys or values.
 */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and where
     * @param cause the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
