package io.seqcl.util;

import java.util.Map;

/** Reads typed values from an option map (the benchmarks' settings), naming the option when a value is wrong. */
public final class Options {

    private Options() {
    }

    /**
     * Removes an integer option from an option map.
     *
     * @param o the options (the key is removed, so leftovers can be reported as unknown)
     * @param key option name without dashes
     * @param def value when absent
     * @return the value
     * @throws IllegalArgumentException naming the option if the value is not an integer
     */
    public static int intOpt(Map<String, String> o, String key, int def) {
        String v = o.remove(key);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs an integer, got '" + v + "'");
        }
    }
}
