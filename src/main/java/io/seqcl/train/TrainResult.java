package io.seqcl.train;

import io.seqcl.eval.EvalResult;
import io.seqcl.eval.HistoryMode;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.EnumMap;
import java.util.Map;

/**
 * What {@link Trainer#fit} produced.
 *
 * @param model model name
 * @param bestEpoch epoch whose weights were used for testing (0 for models without training)
 * @param epochsRun epochs actually run (including any resumed from a checkpoint)
 * @param stoppedEarly whether early stopping ended training before the epoch budget
 * @param valid validation result of the selected weights
 * @param test test result of the selected weights
 * @param curve per-epoch table: model, epoch, loss, valid, seconds
 * @param seconds wall time of the fit (this process only)
 * @param testByHistory the test result of the selected weights in every {@link HistoryMode} (the protocol's own
 *     mode is also {@code test}); empty when not computed
 */
public record TrainResult(String model, int bestEpoch, int epochsRun, boolean stoppedEarly, EvalResult valid,
                          EvalResult test, Table curve, double seconds, Map<HistoryMode, EvalResult> testByHistory) {

    /** Copies the map (empty when null). */
    public TrainResult {
        testByHistory = testByHistory == null || testByHistory.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new EnumMap<>(testByHistory));
    }

    /**
     * A result without test results in the other history modes.
     *
     * @param model model name
     * @param bestEpoch epoch whose weights were used for testing
     * @param epochsRun epochs actually run
     * @param stoppedEarly whether early stopping ended training
     * @param valid validation result
     * @param test test result
     * @param curve per-epoch table
     * @param seconds wall time
     */
    public TrainResult(String model, int bestEpoch, int epochsRun, boolean stoppedEarly, EvalResult valid,
                       EvalResult test, Table curve, double seconds) {
        this(model, bestEpoch, epochsRun, stoppedEarly, valid, test, curve, seconds, Map.of());
    }

    /**
     * The split name under which a history mode's test metrics are stored.
     *
     * @param mode the mode
     * @return e.g. "test-none", "test-zero", "test-neg_inf"
     */
    public static String testSplit(HistoryMode mode) {
        return "test-" + mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Validation and test metrics in long format (model, split, metric, k, value): split "valid", "test" (the
     * protocol's history mode) and, when computed, "test-none", "test-zero" and "test-neg_inf".
     *
     * @return the table
     */
    public Table metrics() {
        Table t = valid.table(model).append(test.table(model));
        for (Map.Entry<HistoryMode, EvalResult> e : testByHistory.entrySet()) {
            Table m = e.getValue().table(model);
            StringColumn split = m.stringColumn("split");
            for (int i = 0; i < split.size(); i++) {
                split.set(i, testSplit(e.getKey()));
            }
            t.append(m);
        }
        return t.setName(model + " metrics");
    }
}
