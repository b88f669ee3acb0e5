package io.seqcl.train;

/**
 * What one training epoch produced, as plain numbers.
 *
 * @param run run name
 * @param epoch 1-based epoch number
 * @param maxEpochs epoch budget of the run
 * @param trainLoss mean training loss of the epoch
 * @param monitor the monitored validation metric, e.g. "NDCG@10"
 * @param validValue the monitored metric after this epoch
 * @param bestValue the best monitored value so far
 * @param bestEpoch the epoch that reached {@code bestValue}
 * @param epochSeconds wall time of this epoch (training and validation)
 * @param elapsedSeconds wall time since the run started
 * @param etaSeconds estimated seconds left if the run uses its whole epoch budget
 * @param stopEpoch the epoch at which early stopping ends the run unless validation improves before
 *                  ({@code maxEpochs} or more: no early stop before the budget ends)
 */
public record EpochReport(String run, int epoch, int maxEpochs, double trainLoss, String monitor,
                          double validValue, double bestValue, int bestEpoch, double epochSeconds,
                          double elapsedSeconds, double etaSeconds, int stopEpoch) {

    /**
     * A report of a run without early stopping ({@code stopEpoch = maxEpochs}).
     *
     * @param run run name
     * @param epoch 1-based epoch number
     * @param maxEpochs epoch budget of the run
     * @param trainLoss mean training loss of the epoch
     * @param monitor the monitored validation metric
     * @param validValue the monitored metric after this epoch
     * @param bestValue the best monitored value so far
     * @param bestEpoch the epoch that reached {@code bestValue}
     * @param epochSeconds wall time of this epoch
     * @param elapsedSeconds wall time since the run started
     * @param etaSeconds estimated seconds left if the run uses its whole epoch budget
     */
    public EpochReport(String run, int epoch, int maxEpochs, double trainLoss, String monitor, double validValue,
                       double bestValue, int bestEpoch, double epochSeconds, double elapsedSeconds,
                       double etaSeconds) {
        this(run, epoch, maxEpochs, trainLoss, monitor, validValue, bestValue, bestEpoch, epochSeconds,
                elapsedSeconds, etaSeconds, maxEpochs);
    }

    /**
     * Estimated seconds left until early stopping ends the run if validation does not improve again: the
     * whole-budget estimate scaled to the epochs up to {@link #stopEpoch}.
     *
     * @return those seconds ({@link #etaSeconds} when the run cannot stop early)
     */
    public double etaToStopSeconds() {
        return stopsEarly() ? etaSeconds * Math.max(0, endEpoch() - epoch) / (double) (maxEpochs - epoch)
                : etaSeconds;
    }

    /**
     * The last epoch of the run unless validation improves: {@link #stopEpoch}, at most {@link #maxEpochs}.
     *
     * @return that epoch
     */
    public int endEpoch() {
        return Math.min(stopEpoch, maxEpochs);
    }

    private boolean stopsEarly() {
        return endEpoch() < maxEpochs && epoch < maxEpochs;
    }

    /**
     * Formats the report as one progress line.
     *
     * @return e.g. {@code SASRec  epoch 3/20  loss 8.1234  valid NDCG@10 0.0301 (best 0.0301 @3)  12.3 s/epoch  ~3m 10s left};
     *     when early stopping can end the run before its budget, the estimate is to that epoch, e.g.
     *     {@code ...  36.0 s/epoch  ~34m 12s left (stops after epoch 120 unless NDCG@10 improves; at most ~9h 21m)}
     */
    public String line() {
        String head = String.format(java.util.Locale.ROOT,
                "%s  epoch %d/%d  loss %.4f  valid %s %.4f (best %.4f @%d)  %.1f s/epoch  ~%s left",
                run, epoch, maxEpochs, trainLoss, monitor, validValue, bestValue, bestEpoch, epochSeconds,
                formatDuration(etaToStopSeconds()));
        if (!stopsEarly()) {
            return head;
        }
        return head + String.format(java.util.Locale.ROOT, " (stops after epoch %d unless %s improves; at most ~%s)",
                stopEpoch, monitor, formatDuration(etaSeconds));
    }

    /**
     * Formats seconds as "1h 02m", "3m 10s" or "12s".
     *
     * @param seconds a duration
     * @return a short human-readable duration
     */
    public static String formatDuration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s >= 3600) {
            return String.format(java.util.Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(java.util.Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
