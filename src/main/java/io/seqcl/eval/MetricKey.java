package io.seqcl.eval;

import java.util.Locale;

/**
 * A metric at a cut-off, such as NDCG@10.
 *
 * @param metric the metric
 * @param k the cut-off, at least 1
 */
public record MetricKey(Metric metric, int k) {

    /** Validates the cut-off. */
    public MetricKey {
        if (metric == null) {
            throw new IllegalArgumentException("metric must not be null");
        }
        if (k < 1) {
            throw new IllegalArgumentException("cut-off k must be >= 1, got " + k);
        }
    }

    /**
     * Parses "NDCG@10", "hr@5" or "MRR@20".
     *
     * @param text the key
     * @return the parsed key
     * @throws IllegalArgumentException naming the accepted forms if the text is not one of them
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static MetricKey parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        int at = t.indexOf('@');
        try {
            if (at > 0) {
                return new MetricKey(Metric.valueOf(t.substring(0, at)), Integer.parseInt(t.substring(at + 1)));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("unknown metric '" + text + "': expected METRIC@K with METRIC one of "
                + java.util.Arrays.toString(Metric.values()) + " and K a positive integer, e.g. NDCG@10");
    }

    @Override
    @com.fasterxml.jackson.annotation.JsonValue
    public String toString() {
        return metric + "@" + k;
    }
}
