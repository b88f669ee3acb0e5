package io.seqcl.train;

import io.seqcl.eval.EvalResult;
import tech.tablesaw.api.Table;

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
 */
public record TrainResult(String model, int bestEpoch, int epochsRun, boolean stoppedEarly, EvalResult valid,
                          EvalResult test, Table curve, double seconds) {

    /** @return validation and test metrics in long format (model, split, metric, k, value) */
    public Table metrics() {
        return valid.table(model).append(test.table(model)).setName(model + " metrics");
    }
}
