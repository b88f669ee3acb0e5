package io.seqcl.experiment;

import java.util.Locale;

/**
 * How much compute an experiment may use: {@link #QUICK} (minutes on 2 cores; CI and first looks) or
 * {@link #FULL} (the papers' settings). Notebooks read it from the environment variable {@code SEQCL_BUDGET}.
 */
public enum Budget {
    /** Minutes on 2 cores: few epochs, used by the tests. */
    QUICK,
    /** The papers' settings: long runs with early stopping. */
    FULL;

    /** Name of the environment variable (and, lower-cased with dots, of the system property seqcl.budget). */
    public static final String ENV = "SEQCL_BUDGET";

    /**
     * Reads the budget from the system property {@code seqcl.budget} or the environment variable
     * {@code SEQCL_BUDGET}; default {@link #QUICK}.
     *
     * @return the budget
     * @throws IllegalArgumentException if the value is neither quick nor full
     */
    public static Budget fromEnv() {
        String v = System.getProperty("seqcl.budget", io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_BUDGET).orElse(null));
        return v == null || v.isBlank() ? QUICK : parse(v);
    }

    /**
     * Parses "quick" or "full" (case-insensitive).
     *
     * @param text the value
     * @return the budget
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Budget parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown budget '" + text + "': expected quick or full");
        }
    }
}
