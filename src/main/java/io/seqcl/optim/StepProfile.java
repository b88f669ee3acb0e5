package io.seqcl.optim;

/**
 * Wall-clock time spent in the phases of training steps (forward, backward, optimizer), accumulated by
 * {@link SingleLossStep}, {@link MultiStageStep} and {@link MetaTwoStageStep} for benchmarks
 * ({@code seqcl bench-epoch}). Training runs on one thread; the counters are plain fields read between steps.
 * The forward phase ends when the loss value has been read (libtorch on CPU runs eagerly), the backward phase
 * includes releasing the step's arrays.
 */
public final class StepProfile {

    private static long forward;
    private static long backward;
    private static long optimizer;

    private StepProfile() {
    }

    /** Resets all counters to zero. */
    public static synchronized void reset() {
        forward = 0;
        backward = 0;
        optimizer = 0;
    }

    static synchronized void add(long forwardNs, long backwardNs, long optimizerNs) {
        forward += forwardNs;
        backward += backwardNs;
        optimizer += optimizerNs;
    }

    /** @return nanoseconds in forward passes (loss computation) since the last reset */
    public static synchronized long forwardNanos() {
        return forward;
    }

    /** @return nanoseconds in backward passes since the last reset */
    public static synchronized long backwardNanos() {
        return backward;
    }

    /** @return nanoseconds in optimizer updates since the last reset */
    public static synchronized long optimizerNanos() {
        return optimizer;
    }
}
