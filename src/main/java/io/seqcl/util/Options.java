package io.seqcl.util;

import java.util.Map;

/** Reads typed values from an option map (the benchmarks' settings), naming the option when a value is wrong. */
public final class Options {

    private Options() {
    }

    /**
     * Parses {@code --key value} and {@code --key=value} arguments into an ordered map.
     *
     * @param args the arguments
     * @return key (without dashes) to value
     * @throws IllegalArgumentException on an argument that is not an option, or an option without a value
     */
    public static Map<String, String> parse(java.util.List<String> args) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                m.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                m.put(key, args.get(++i));
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
        }
        return m;
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
