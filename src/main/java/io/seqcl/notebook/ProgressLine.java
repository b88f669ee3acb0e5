package io.seqcl.notebook;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;

/**
 * Training progress as ONE line per run, updated in place.
 *
 * <ul>
 *   <li>{@link Mode#NOTEBOOK}: the line is a notebook output (display id) replaced by display updates: while
 *       training at most one update per {@link #DEFAULT_MIN_INTERVAL_NANOS} (half a second), and at every epoch
 *       end; {@code onRunEnd} leaves the final summary line.</li>
 *   <li>{@link Mode#TTY}: the same line rewritten with a carriage return on a terminal.</li>
 *   <li>{@link Mode#LINES}: for logs and CI: one line when a run starts, one per epoch, one when it ends; batches
 *       print nothing.</li>
 * </ul>
 *
 * <p>A line reads, while training:
 * {@code SASRec  epoch 3/20  step 120/400  loss 8.1234  valid NDCG@10 0.0301 (best 0.0312 @2)  ~3m 10s left}
 * and at the end of an epoch:
 * {@code SASRec  epoch 3/20  loss 8.1234  valid NDCG@10 0.0301 (best 0.0312 @2)  12.3 s/epoch  ~3m 10s left}.
 * The loss shown while training is the mean batch loss of the epoch so far. Obtain instances from
 * {@link Display#progress()}.
 */
public final class ProgressLine implements ProgressListener {

    /** Where the line goes. */
    public enum Mode {
        /** A Jupyter display updated in place. */
        NOTEBOOK,
        /** A terminal line rewritten with '\r'. */
        TTY,
        /** One printed line per epoch (and per run start and end). */
        LINES
    }

    /** Minimum time between two updates caused by batches: half a second. */
    public static final long DEFAULT_MIN_INTERVAL_NANOS = 500_000_000L;

    private final Mode mode;
    private final DisplaySink sink;
    private final PrintStream out;
    private final LongSupplier clock;
    private final long minIntervalNanos;

    // state of the current run
    private String run;
    private int maxEpochs;
    private int stepsPerEpoch;
    private String displayId;
    private int epoch;
    private long epochStart;
    private long boundary; // when the run started or the last epoch ended
    private double lossSum;
    private int lossCount;
    private EpochReport last;
    private long lastEmit;
    private int lastTtyLength;
    private boolean ttyOpen;
    private int updates;

    ProgressLine(Mode mode, DisplaySink sink, PrintStream out, LongSupplier clock, long minIntervalNanos) {
        if (mode == Mode.NOTEBOOK && sink == null) {
            throw new IllegalArgumentException("notebook mode needs a display sink");
        }
        this.mode = mode;
        this.sink = sink;
        this.out = out;
        this.clock = clock;
        this.minIntervalNanos = minIntervalNanos;
    }

    /**
     * Where this listener writes.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * How many times the line was shown or changed (display + updates, or printed lines); for tests.
     *
     * @return the count
     */
    synchronized int updates() {
        return updates;
    }

    @Override
    public synchronized void onRunStart(String run, int maxEpochs, int stepsPerEpoch) {
        begin(run, maxEpochs, stepsPerEpoch);
    }

    @Override
    public synchronized void onBatch(String run, int epoch, int step, int stepsPerEpoch, double loss) {
        if (!run.equals(this.run)) {
            begin(run, Math.max(epoch, 1), stepsPerEpoch);
        }
        long now = clock.getAsLong();
        if (epoch != this.epoch) {
            this.epoch = epoch;
            this.epochStart = boundary;
            this.lossSum = 0;
            this.lossCount = 0;
        }
        this.stepsPerEpoch = stepsPerEpoch;
        if (Double.isFinite(loss)) {
            lossSum += loss;
            lossCount++;
        }
        if (mode == Mode.LINES || now - lastEmit < minIntervalNanos) {
            return;
        }
        lastEmit = now;
        show(batchText(step, now), false);
    }

    @Override
    public synchronized void onEpochEnd(EpochReport report) {
        if (!report.run().equals(this.run)) {
            begin(report.run(), report.maxEpochs(), stepsPerEpoch);
        }
        last = report;
        epoch = report.epoch();
        lossCount = 0;
        lossSum = 0;
        lastEmit = clock.getAsLong();
        boundary = lastEmit;
        show(epochText(report), false);
    }

    @Override
    public synchronized void onRunEnd(String run, String message) {
        if (!run.equals(this.run)) {
            begin(run, 0, 0);
        }
        show(run + "  done: " + message, true);
        this.run = null;
        this.displayId = null;
    }

    // ---- text

    String batchText(int step, long now) {
        StringBuilder sb = new StringBuilder(run).append("  epoch ").append(epoch).append('/').append(maxEpochs)
                .append("  step ").append(step).append('/').append(stepsPerEpoch);
        if (lossCount > 0) {
            sb.append(String.format(Locale.ROOT, "  loss %.4f", lossSum / lossCount));
        }
        if (last != null) {
            sb.append(String.format(Locale.ROOT, "  valid %s %.4f (best %.4f @%d)", last.monitor(),
                    last.validValue(), last.bestValue(), last.bestEpoch()));
        }
        double left = secondsLeft(step, now);
        if (left >= 0) {
            sb.append("  ~").append(EpochReport.formatDuration(left)).append(" left");
        }
        return sb.toString();
    }

    static String epochText(EpochReport r) {
        return r.line();
    }

    /**
     * Seconds left in the run; negative when unknown. Up to the epoch at which early stopping ends the run unless
     * validation improves ({@link EpochReport#endEpoch} of the last epoch), else the whole epoch budget. Uses the
     * last epoch's wall time when there is one, else extrapolates the current epoch.
     */
    double secondsLeft(int step, long now) {
        if (stepsPerEpoch <= 0 || step <= 0) {
            return -1;
        }
        double sinceEpochStart = (now - epochStart) / 1e9;
        double fraction = Math.min(1.0, step / (double) stepsPerEpoch);
        double perEpoch = last != null ? last.epochSeconds() : sinceEpochStart / fraction;
        double thisEpochLeft = Math.max(0, perEpoch - sinceEpochStart);
        int end = last != null ? Math.max(epoch, last.endEpoch()) : maxEpochs;
        return thisEpochLeft + Math.max(0, end - epoch) * perEpoch;
    }

    // ---- output

    private void begin(String run, int maxEpochs, int stepsPerEpoch) {
        if (this.run != null && mode == Mode.TTY && ttyOpen) {
            out.println();
            ttyOpen = false;
        }
        this.run = run;
        this.maxEpochs = maxEpochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.epoch = 0;
        this.lossSum = 0;
        this.lossCount = 0;
        this.last = null;
        this.displayId = null;
        this.lastTtyLength = 0;
        this.epochStart = clock.getAsLong();
        this.boundary = epochStart;
        this.lastEmit = epochStart;
        String text = maxEpochs > 0
                ? String.format(Locale.ROOT, "%s  starting: up to %d epochs x %d steps", run, maxEpochs, stepsPerEpoch)
                : run + "  starting";
        show(text, false);
    }

    private void show(String text, boolean end) {
        updates++;
        switch (mode) {
            case NOTEBOOK -> {
                Map<String, String> bundle = Display.bundleOf(Mime.TEXT, text);
                if (displayId == null) {
                    displayId = sink.display(bundle);
                } else {
                    sink.update(displayId, bundle);
                }
            }
            case TTY -> {
                int pad = Math.max(0, lastTtyLength - text.length());
                out.print("\r" + text + " ".repeat(pad));
                lastTtyLength = text.length();
                ttyOpen = !end;
                if (end) {
                    out.println();
                }
                out.flush();
            }
            case LINES -> {
                out.println(text);
                out.flush();
            }
        }
    }
}
