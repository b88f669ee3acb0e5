package io.seqcl.analysis;

import io.seqcl.model.*;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.seqcl.nn.Gaussian;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.EvalSet;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Posterior-collapse diagnostics of a sequential VAE ({@link LatentModel}) on an evaluation split: KL of the
 * posterior from the N(0, I) prior per latent dimension and per position, and the spread across users of the
 * posterior means ("active units", Burda et al. 2016: a dimension is active if {@code Var_u(mu_u,j) > 0.01}),
 * overall and split by the popularity of each user's target item.
 *
 * <p>Motivation: ContrastVAE (Wang et al., CIKM 2022, ../shared/papers/003_35e0abd0e5b770ab.txt) argues that
 * the contrastive term counters posterior collapse of sequential VAEs, in particular for long-tail items;
 * Meta-SGCL (../shared/papers/001_10888dff13463991.txt) inherits the design. These numbers let a notebook see
 * whether the latents carry information at all and whether that differs between popular and long-tail targets.
 *
 * <p>Definitions (all in evaluation mode, from {@link LatentModel#posterior}; inputs are the set's histories
 * truncated to the model's T):
 * <ul>
 *   <li>per-dimension KL {@code KL_j = 1/2 (mu_j^2 + sigma_j^2 - 1 - ln sigma_j^2)} at the <b>last real
 *       position</b> (the one decoded for prediction), averaged over users;</li>
 *   <li>{@code muVariance_j} = population variance over users of {@code mu_j} at the last position;
 *       {@code meanSigma_j} = mean of {@code sigma_j};</li>
 *   <li>per position: {@code stepsBack} = 0 for the most recent item, 1 for the one before, ...; KL summed over
 *       dimensions, averaged over the users that have a real item there; {@code muVariance} = mean over
 *       dimensions of the variance over those users of {@code mu_j}. Padding positions are not counted;</li>
 *   <li>groups: {@code all}, {@code popular} (the target item is among the top {@code popularFraction} of
 *       items 1..N by training count, default 20 %, ties broken by the smaller id) and {@code long-tail}
 *       (the other 80 % of items).</li>
 * </ul>
 * Nothing here is from a reference code; the thresholds are our choice.
 */
public final class LatentDiagnostics {

    /** Default fraction of items (by training count) called popular: the top 20 %. */
    public static final double DEFAULT_POPULAR_FRACTION = 0.2;

    /** Variance of a latent mean across users above which a dimension counts as active (Burda et al.). */
    public static final double ACTIVE_THRESHOLD = 0.01;

    /** Group names in table order. */
    public static final List<String> GROUPS = List.of("all", "popular", "long-tail");

    /**
     * The three tables of one computation.
     *
     * @param summary one row per group: users, kl (per user, summed over dimensions), klPerDim, activeUnits,
     *                dims, meanMuVariance, meanSigma
     * @param perDimension one row per group and dimension: kl, muVariance, meanSigma, active
     * @param perPosition one row per group and stepsBack with at least one user: users, kl, muVariance
     */
    public record Result(Table summary, Table perDimension, Table perPosition) {
    }

    private final boolean[] popular;
    private final double popularFraction;
    private final int batchSize;

    /**
     * Creates diagnostics with the given popularity split.
     *
     * @param trainItemCounts training count per item id (index 0 = padding), e.g.
     *                        {@link LeaveOneOutSplit#trainItemCounts()}
     * @param popularFraction fraction of items 1..N called popular, in (0, 1)
     * @param batchSize users per forward pass
     */
    public LatentDiagnostics(long[] trainItemCounts, double popularFraction, int batchSize) {
        if (trainItemCounts == null || trainItemCounts.length < 2) {
            throw new IllegalArgumentException("trainItemCounts must hold the padding slot and at least one item");
        }
        if (!(popularFraction > 0 && popularFraction < 1)) {
            throw new IllegalArgumentException("popularFraction must be in (0, 1), got " + popularFraction);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.popularFraction = popularFraction;
        this.batchSize = batchSize;
        int n = trainItemCounts.length - 1;
        Integer[] ids = IntStream.rangeClosed(1, n).boxed().toArray(Integer[]::new);
        Arrays.sort(ids, Comparator.<Integer>comparingLong(i -> -trainItemCounts[i]).thenComparingInt(i -> i));
        int top = (int) Math.ceil(popularFraction * n);
        popular = new boolean[n + 1];
        for (int k = 0; k < top; k++) {
            popular[ids[k]] = true;
        }
    }

    /**
     * Default diagnostics for a split: top 20 % of items by training count are popular, 256 users per pass.
     *
     * @param split the split whose training counts define popularity
     * @return the diagnostics
     */
    public static LatentDiagnostics of(LeaveOneOutSplit split) {
        return new LatentDiagnostics(split.trainItemCounts(), DEFAULT_POPULAR_FRACTION, 256);
    }

    /** @return the fraction of items called popular */
    public double popularFraction() {
        return popularFraction;
    }

    /**
     * @param item an item id 1..N
     * @return whether it is in the popular group
     */
    public boolean isPopular(int item) {
        return popular[item];
    }

    /**
     * Computes the tables for every row of an evaluation set.
     *
     * @param model the model (evaluation mode; its parameters are not changed)
     * @param set histories and targets (targets define the popularity group)
     * @return the tables
     */
    public Result compute(LatentModel model, EvalSet set) {
        Acc acc = null;
        int maxLen = model.inputSpec().maxLen();
        Padding padding = model.inputSpec().padding();
        for (int start = 0; start < set.size(); start += batchSize) {
            int end = Math.min(set.size(), start + batchSize);
            Batch batch = Batch.ofHistories(Arrays.copyOfRange(set.inputs(), start, end),
                    Arrays.copyOfRange(set.users(), start, end), maxLen, padding);
            float[] mu;
            float[] lv;
            int d;
            try (NDScope scope = new NDScope()) {
                Gaussian g = model.posterior(batch);
                d = (int) g.mean().getShape().get(2);
                mu = toFloats(g.mean());
                lv = toFloats(g.logVar());
            }
            if (acc == null) {
                acc = new Acc(d, maxLen);
            }
            for (int r = 0; r < batch.size(); r++) {
                int target = set.targets()[start + r];
                int group = popular[target] ? 1 : 2;
                acc.addRow(batch, r, mu, lv, group);
            }
        }
        if (acc == null) {
            throw new IllegalArgumentException("evaluation set " + set.name() + " is empty");
        }
        return acc.tables(model.name());
    }

    /**
     * A listener that records {@link #compute} after every epoch (after validation, in evaluation mode, so training
     * draws no different random numbers) and forwards every event to {@code delegate}.
     *
     * @param model the model being trained
     * @param set the rows to diagnose (e.g. the validation set or a subset of it)
     * @param delegate listener to forward to (e.g. a progress line), or {@link ProgressListener#NONE}
     * @return the recorder; read its tables after (or during) training
     */
    public Recorder recorder(LatentModel model, EvalSet set, ProgressListener delegate) {
        return new Recorder(this, model, set, delegate);
    }

    private static float[] toFloats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Records the diagnostics per epoch; tables carry an {@code epoch} column in front. */
    public static final class Recorder implements ProgressListener {
        private final LatentDiagnostics diagnostics;
        private final LatentModel model;
        private final EvalSet set;
        private final ProgressListener delegate;
        private final List<Integer> epochs = new ArrayList<>();
        private final List<Result> results = new ArrayList<>();

        private Recorder(LatentDiagnostics diagnostics, LatentModel model, EvalSet set, ProgressListener delegate) {
            if (model == null || set == null || delegate == null) {
                throw new IllegalArgumentException("recorder needs a model, an evaluation set and a delegate");
            }
            this.diagnostics = diagnostics;
            this.model = model;
            this.set = set;
            this.delegate = delegate;
        }

        /**
         * Records the state before training as epoch 0 (call it before {@code Trainer.fit}).
         *
         * @return this recorder
         */
        public Recorder recordInitial() {
            record(0);
            return this;
        }

        private void record(int epoch) {
            epochs.add(epoch);
            results.add(diagnostics.compute(model, set));
        }

        @Override
        public void onRunStart(String run, int maxEpochs, int stepsPerEpoch) {
            delegate.onRunStart(run, maxEpochs, stepsPerEpoch);
        }

        @Override
        public void onBatch(String run, int epoch, int step, int stepsPerEpoch, double loss) {
            delegate.onBatch(run, epoch, step, stepsPerEpoch, loss);
        }

        @Override
        public void onEpochEnd(EpochReport report) {
            record(report.epoch());
            delegate.onEpochEnd(report);
        }

        @Override
        public void onRunEnd(String run, String message) {
            delegate.onRunEnd(run, message);
        }

        /** @return the per-epoch summary rows (epoch, group, ...) */
        public Table summary() {
            return stack("summary", Result::summary);
        }

        /** @return the per-epoch per-dimension rows */
        public Table perDimension() {
            return stack("per dimension", Result::perDimension);
        }

        /** @return the per-epoch per-position rows */
        public Table perPosition() {
            return stack("per position", Result::perPosition);
        }

        /** @return the recorded results in epoch order (epoch 0 first if {@link #recordInitial()} was used) */
        public List<Result> results() {
            return List.copyOf(results);
        }

        private Table stack(String what, java.util.function.Function<Result, Table> pick) {
            Table out = null;
            for (int i = 0; i < results.size(); i++) {
                Table t = pick.apply(results.get(i)).copy();
                IntColumn e = IntColumn.create("epoch", t.rowCount());
                e.setMissingTo(epochs.get(i));
                t.insertColumn(0, e);
                if (out == null) {
                    out = t;
                } else {
                    out.append(t);
                }
            }
            if (out == null) {
                throw new IllegalStateException("nothing recorded yet");
            }
            return out.setName(model.name() + " latent " + what + " per epoch");
        }
    }

    /** Sums per group (0 = all, 1 = popular, 2 = long-tail). */
    private static final class Acc {
        final int d;
        final int t;
        final int[] users = new int[3];
        final double[][] kl = new double[3][];
        final double[][] mu = new double[3][];
        final double[][] mu2 = new double[3][];
        final double[][] sigma = new double[3][];
        final int[][] posUsers = new int[3][];
        final double[][] posKl = new double[3][];
        final double[][][] posMu = new double[3][][];
        final double[][][] posMu2 = new double[3][][];

        Acc(int d, int t) {
            this.d = d;
            this.t = t;
            for (int g = 0; g < 3; g++) {
                kl[g] = new double[d];
                mu[g] = new double[d];
                mu2[g] = new double[d];
                sigma[g] = new double[d];
                posUsers[g] = new int[t];
                posKl[g] = new double[t];
                posMu[g] = new double[t][d];
                posMu2[g] = new double[t][d];
            }
        }

        void addRow(Batch batch, int r, float[] m, float[] lv, int group) {
            int len = batch.lengths()[r];
            int from = batch.padding() == Padding.RIGHT ? 0 : t - len;
            int last = batch.lastIndex(r);
            for (int g : new int[] {0, group}) {
                if (len > 0) {
                    users[g]++;
                }
            }
            for (int p = from; p < from + len; p++) {
                int back = from + len - 1 - p;
                int off = (r * t + p) * d;
                double klPos = 0;
                for (int j = 0; j < d; j++) {
                    double u = m[off + j];
                    double l = lv[off + j];
                    double k = 0.5 * (u * u + Math.exp(l) - 1 - l);
                    klPos += k;
                    for (int g : new int[] {0, group}) {
                        posMu[g][back][j] += u;
                        posMu2[g][back][j] += u * u;
                        if (p == last) {
                            kl[g][j] += k;
                            mu[g][j] += u;
                            mu2[g][j] += u * u;
                            sigma[g][j] += Math.exp(0.5 * l);
                        }
                    }
                }
                for (int g : new int[] {0, group}) {
                    posUsers[g][back]++;
                    posKl[g][back] += klPos;
                }
            }
        }

        Result tables(String name) {
            StringColumn sg = StringColumn.create("group");
            IntColumn su = IntColumn.create("users");
            DoubleColumn skl = DoubleColumn.create("kl");
            DoubleColumn skd = DoubleColumn.create("klPerDim");
            IntColumn sa = IntColumn.create("activeUnits");
            IntColumn sd = IntColumn.create("dims");
            DoubleColumn sv = DoubleColumn.create("meanMuVariance");
            DoubleColumn ss = DoubleColumn.create("meanSigma");
            StringColumn dg = StringColumn.create("group");
            IntColumn dd = IntColumn.create("dim");
            DoubleColumn dkl = DoubleColumn.create("kl");
            DoubleColumn dv = DoubleColumn.create("muVariance");
            DoubleColumn ds = DoubleColumn.create("meanSigma");
            BooleanColumn da = BooleanColumn.create("active");
            StringColumn pg = StringColumn.create("group");
            IntColumn pb = IntColumn.create("stepsBack");
            IntColumn pu = IntColumn.create("users");
            DoubleColumn pkl = DoubleColumn.create("kl");
            DoubleColumn pv = DoubleColumn.create("muVariance");
            for (int g = 0; g < 3; g++) {
                int n = users[g];
                double klSum = 0;
                double varSum = 0;
                double sigSum = 0;
                int active = 0;
                for (int j = 0; j < d; j++) {
                    double k = n == 0 ? Double.NaN : kl[g][j] / n;
                    double v = variance(mu[g][j], mu2[g][j], n);
                    double s = n == 0 ? Double.NaN : sigma[g][j] / n;
                    boolean a = v > ACTIVE_THRESHOLD;
                    klSum += k;
                    varSum += v;
                    sigSum += s;
                    active += a ? 1 : 0;
                    dg.append(GROUPS.get(g));
                    dd.append(j);
                    dkl.append(k);
                    dv.append(v);
                    ds.append(s);
                    da.append(a);
                }
                sg.append(GROUPS.get(g));
                su.append(n);
                skl.append(klSum);
                skd.append(klSum / d);
                sa.append(active);
                sd.append(d);
                sv.append(varSum / d);
                ss.append(sigSum / d);
                for (int b = 0; b < t; b++) {
                    int c = posUsers[g][b];
                    if (c == 0) {
                        continue;
                    }
                    double vs = 0;
                    for (int j = 0; j < d; j++) {
                        vs += variance(posMu[g][b][j], posMu2[g][b][j], c);
                    }
                    pg.append(GROUPS.get(g));
                    pb.append(b);
                    pu.append(c);
                    pkl.append(posKl[g][b] / c);
                    pv.append(vs / d);
                }
            }
            return new Result(Table.create(name + " latent summary", sg, su, skl, skd, sa, sd, sv, ss),
                    Table.create(name + " latent per dimension", dg, dd, dkl, dv, ds, da),
                    Table.create(name + " latent per position", pg, pb, pu, pkl, pv));
        }

        private static double variance(double sum, double sumSq, int n) {
            if (n == 0) {
                return Double.NaN;
            }
            double mean = sum / n;
            return Math.max(0, sumSq / n - mean * mean);
        }
    }
}
