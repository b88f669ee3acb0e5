package io.seqcl.train;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop training at the next step, set by SIGTERM or SIGINT (Ctrl-C) once {@link #installSignalHandlers()}
 * has run (the {@code seqcl} command line does), or by {@link #request(String)}.
 *
 * <p>Why: the JVM's default reaction to SIGTERM runs its exit while the training thread may be inside a libtorch
 * operation, and libtorch's static destructors then crash the process (a "fatal error" report in the run's log).
 * With the handlers installed the first signal only sets the request; {@link Trainer} and
 * {@link io.seqcl.cf.CfTrainer} check it before every training step and throw {@link RunStoppedException}, naming
 * the last epoch whose checkpoint was written, so {@code seqcl run --resume} continues from there. A second signal
 * ends the process at once (checkpoints are written atomically, so none is left half-written).
 */
public final class StopRequest {

    private static final AtomicReference<String> REQUESTED = new AtomicReference<>();
    private static volatile boolean installed;

    private StopRequest() {
    }

    /**
     * Routes SIGTERM and SIGINT to a stop request (idempotent). Where the JVM does not allow a handler for a
     * signal (e.g. started with {@code -Xrs}), that signal keeps its default reaction.
     */
    public static synchronized void installSignalHandlers() {
        if (installed) {
            return;
        }
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), StopRequest::onSignal);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the signal is reserved or unavailable here: leave its default
            }
        }
        installed = true;
    }

    /** Gives SIGTERM and SIGINT their default reactions again (for tests that install the handlers). */
    static synchronized void restoreDefaultHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sun.misc.SignalHandler.SIG_DFL);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // never installed
            }
        }
        installed = false;
    }

    private static void onSignal(sun.misc.Signal s) {
        String why = "SIG" + s.getName();
        if (!REQUESTED.compareAndSet(null, why)) {
            System.err.println("seqcl: second " + why + ", stopping now");
            Runtime.getRuntime().halt(128 + s.getNumber());
        }
        System.err.println("seqcl: " + why + " received, stopping after the current step (send it again to stop now)");
    }

    /**
     * Requests a stop at the next training step (what a signal does; also for tests and embedding applications).
     *
     * @param why the reason shown in the message, e.g. {@code SIGTERM}
     */
    public static void request(String why) {
        REQUESTED.compareAndSet(null, why == null ? "a stop request" : why);
    }

    /** @return the pending request's reason, or {@code null} if none */
    public static String requested() {
        return REQUESTED.get();
    }

    /** Withdraws a pending request (e.g. before training again in the same process). */
    public static void clear() {
        REQUESTED.set(null);
    }

    /**
     * Throws if a stop was requested.
     *
     * @param model the model being trained
     * @param epoch the epoch about to run a step
     * @param step the step about to run (1-based)
     * @param steps steps in the epoch, or 0 to name only the epoch
     * @param saved the last epoch whose checkpoint was written, or -1 when the run has no checkpoint
     * @throws RunStoppedException if a stop was requested
     */
    public static void check(String model, int epoch, int step, int steps, int saved) {
        String why = REQUESTED.get();
        if (why == null) {
            return;
        }
        String where = saved < 0 ? "this run writes no checkpoint (give it --out to make it resumable)"
                : saved == 0 ? "no epoch had finished, so --resume starts from epoch 1"
                : "the checkpoint after epoch " + saved + " is intact: run the same command with --resume to continue";
        String at = steps > 0 ? "before step " + step + " of " + steps + " of epoch " + epoch : "in epoch " + epoch;
        throw new RunStoppedException(why, model + ": stopped by " + why + " " + at + "; " + where);
    }
}
