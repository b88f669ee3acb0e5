package io.seqcl.train;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Early stopping on a validation metric with best-weights tracking, shared by {@link Trainer} and the
 * collaborative-filtering trainer {@code io.seqcl.cf.CfTrainer} (common.md section 6; advinfonce.md §5).
 *
 * <p>Each validation is {@linkplain #observe observed}: the first one, and every later one that is strictly
 * higher than the best so far, becomes the best (its epoch, value and a snapshot of the weights are kept) and
 * resets the counter of bad validations; any other one increments it. With a tie-break value
 * ({@link #observe(int, double, double, Supplier)}), a validation equal to the best one counts as an improvement when
 * its tie-break value is strictly higher (Meta-SGCL: NDCG@10 ties broken by HR@10); NaN tie-break values never
 * break a tie. {@link #shouldStop} is true once
 * {@code patience} validations in a row did not improve and at least {@code minEpochs} epochs have run
 * ({@code minEpochs = 0}: no minimum). Patience counts validations, not epochs, so a trainer that validates every
 * {@code k} epochs (AdvInfoNCE's {@code verbose}) stops after {@code patience * k} epochs without improvement.
 */
public final class EarlyStopping {

    private final int patience;
    private final int minEpochs;
    private int bestEpoch;
    private double bestValue = Double.NEGATIVE_INFINITY;
    private double bestTieBreak = Double.NaN;
    private int bad;
    private int lastEpoch;
    private Map<String, float[]> best;

    /**
     * Creates the tracker.
     *
     * @param patience validations without improvement before stopping (at least 1)
     * @param minEpochs epochs that must have run before stopping may fire (0 = none)
     */
    public EarlyStopping(int patience, int minEpochs) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (minEpochs < 0) {
            throw new IllegalArgumentException("minEpochs must be >= 0, got " + minEpochs);
        }
        this.patience = patience;
        this.minEpochs = minEpochs;
    }

    /**
     * Records one validation.
     *
     * @param epoch the 1-based epoch just validated
     * @param value its validation metric (higher is better)
     * @param weights takes a snapshot of the current weights (called only on improvement)
     * @return whether this validation became the best
     */
    public boolean observe(int epoch, double value, Supplier<Map<String, float[]>> weights) {
        return observe(epoch, value, Double.NaN, weights);
    }

    /**
     * Records one validation with a tie-break value.
     *
     * @param epoch the 1-based epoch just validated
     * @param value its validation metric (higher is better)
     * @param tieBreak the tie-break metric (higher is better; NaN: none)
     * @param weights takes a snapshot of the current weights (called only on improvement)
     * @return whether this validation became the best
     */
    public boolean observe(int epoch, double value, double tieBreak, Supplier<Map<String, float[]>> weights) {
        lastEpoch = epoch;
        boolean tieWon = value == bestValue && tieBreak > bestTieBreak; // false when either is NaN
        if (value > bestValue || bestEpoch == 0 || tieWon) {
            bestValue = value;
            bestTieBreak = tieBreak;
            bestEpoch = epoch;
            best = weights.get();
            bad = 0;
            return true;
        }
        bad++;
        return false;
    }

    /** @return whether training should stop after the last observed validation */
    public boolean shouldStop() {
        return bad >= patience && lastEpoch >= minEpochs;
    }

    /** @return the epoch of the best validation (0 before the first) */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** @return the best validation value (negative infinity before the first) */
    public double bestValue() {
        return bestValue;
    }

    /** @return the tie-break value of the best validation (NaN if none) */
    public double bestTieBreak() {
        return bestTieBreak;
    }

    /** @return validations since the best one */
    public int bad() {
        return bad;
    }

    /**
     * The epoch after which {@link #shouldStop} becomes true if no later validation improves on the best one:
     * the last observed epoch plus the validations still allowed, times the validation interval, and at least
     * {@code minEpochs}. Progress lines use it to say when an early-stopped run will end, not only how long the
     * whole epoch budget would take.
     *
     * @param epochsPerValidation epochs between two validations (1 when every epoch is validated)
     * @return that epoch ({@code minEpochs}, or the patience in epochs, before the first validation)
     */
    public int stopEpoch(int epochsPerValidation) {
        if (epochsPerValidation < 1) {
            throw new IllegalArgumentException("epochsPerValidation must be >= 1, got " + epochsPerValidation);
        }
        return Math.max(minEpochs, lastEpoch + Math.max(0, patience - bad) * epochsPerValidation);
    }

    /** @return the weights of the best validation, or {@code null} before the first */
    public Map<String, float[]> bestWeights() {
        return best;
    }

    /**
     * Restores the state saved in a checkpoint.
     *
     * @param epoch the last epoch run (and validated)
     * @param bestEpoch the best epoch
     * @param bestValue its value
     * @param bad validations since the best
     * @param bestWeights its weights, or {@code null}
     */
    public void restore(int epoch, int bestEpoch, double bestValue, int bad, Map<String, float[]> bestWeights) {
        restore(epoch, bestEpoch, bestValue, Double.NaN, bad, bestWeights);
    }

    /**
     * Restores the state saved in a checkpoint, with the best validation's tie-break value.
     *
     * @param epoch the last epoch run (and validated)
     * @param bestEpoch the best epoch
     * @param bestValue its value
     * @param bestTieBreak its tie-break value (NaN: none)
     * @param bad validations since the best
     * @param bestWeights its weights, or {@code null}
     */
    public void restore(int epoch, int bestEpoch, double bestValue, double bestTieBreak, int bad,
                        Map<String, float[]> bestWeights) {
        this.bestTieBreak = bestTieBreak;
        this.lastEpoch = epoch;
        this.bestEpoch = bestEpoch;
        this.bestValue = bestValue;
        this.bad = bad;
        this.best = bestWeights;
    }
}
