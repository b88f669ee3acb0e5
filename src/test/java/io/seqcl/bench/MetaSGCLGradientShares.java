package io.seqcl.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.model.InputSpec;
import io.seqcl.model.MetaSGCL;
import io.seqcl.model.MetaSGCLConfig;
import io.seqcl.nn.Pooling;
import io.seqcl.optim.StepContext;
import io.seqcl.optim.TrainStep;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.train.TrainConfig;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A diagnostic command (not a test): how Meta-SGCL's loss terms share the gradient, at initialisation and after
 * each of a few training epochs, on a paper dataset at the full budget's settings.
 *
 * <pre>
 * SEQCL_DATA=../shared/data java -Dai.djl.pytorch.num_threads=1 -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     io.seqcl.bench.MetaSGCLGradientShares [-Ddataset=toys] [-Depochs=2] [-Dpooling=SUM|MEAN|LAST]
 *     [-DmetaLoss=FULL|CL] [-Dseed=2020]
 * </pre>
 *
 * <p>For one fixed probe batch (the first batch of 256 of a seeded epoch) it prints the value of every term
 * ({@code Lrs1, Lrs2, KL1, KL2, Lcl}) and the L2 norms of the gradients of {@code L}, {@code alpha Lcl} and the
 * reconstruction terms, on the meta encoder Phi ({@code meta.*}) and on Theta without the decoder (item and
 * position tables, encoder, variational heads: where the contrastive term and the reconstruction meet). Every
 * evaluation uses the same engine seed and noise stream, and a term set always draws view 1's noise before view 2's,
 * so the norms are of the same forward pass. Training between the reports uses the model's own train step
 * (stage 1 and stage 2 per batch) and the protocol's learning rate.
 */
public final class MetaSGCLGradientShares {

    private MetaSGCLGradientShares() {
    }

    /**
     * Runs the diagnostic.
     *
     * @param args unused (settings are system properties)
     */
    public static void main(String[] args) {
        String dataset = System.getProperty("dataset", "toys");
        int epochs = Integer.getInteger("epochs", 2);
        long seed = Long.getLong("seed", 2020);
        SequenceDataset ds = Datasets.load(dataset);
        MetaSGCLConfig cfg = PaperSettings.metaSGCL(ds, Budget.FULL);
        if (System.getProperty("pooling") != null) {
            cfg = cfg.withClPooling(Pooling.valueOf(System.getProperty("pooling")));
        }
        if (System.getProperty("metaLoss") != null) {
            cfg = cfg.withMetaLoss(MetaSGCLConfig.MetaLoss.valueOf(System.getProperty("metaLoss")));
        }
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        TrainConfig tc = PaperSettings.trainFor(cfg, PaperSettings.Paper.METASGCL, Budget.FULL, seed);
        System.out.printf(Locale.ROOT, "Meta-SGCL on %s, seed %d: pooling %s, stage-2 loss %s, alpha %s, beta %s, "
                + "temperature %s, similarity %s, lr %s, batch %d%n", ds.name(), seed, cfg.clPooling(),
                cfg.metaLoss(), cfg.alpha(), cfg.beta(), cfg.temperature(), cfg.similarity(), tc.learningRate(),
                tc.batchSize());
        try (MetaSGCL m = new MetaSGCL(ds.numItems(), cfg, seed)) {
            m.prepare(split);
            InputSpec in = m.inputSpec();
            TrainingSamples samples = new TrainingSamples(split, in.sampleMode(), in.maxLen(), in.padding());
            Batch probe = samples.epoch(256, new SplittableRandom(4), false).get(0);
            report("init", m, probe);
            TrainStep step = m.newTrainStep(tc.optim());
            SplittableRandom rng = new SplittableRandom(seed);
            for (int e = 1; e <= epochs; e++) {
                int k = 0;
                for (Batch b : samples.epoch(tc.batchSize(), rng.split(), false)) {
                    step.step(b, new StepContext(e, ++k, rng.split()));
                }
                report("after epoch " + e, m, probe);
            }
        }
    }

    private static void report(String when, MetaSGCL m, Batch b) {
        double alpha = m.config().alpha();
        double beta = m.config().beta();
        Set<MetaSGCL.Term> all = EnumSet.allOf(MetaSGCL.Term.class);
        double[] total = norms(m, b, all, alpha, beta);
        double[] cl = norms(m, b, EnumSet.of(MetaSGCL.Term.CL), alpha, 0);
        double[] rec = norms(m, b, all, 0, 0);
        double[] meta = norms(m, b, EnumSet.of(MetaSGCL.Term.REC2, MetaSGCL.Term.KL2, MetaSGCL.Term.CL), 0, beta);
        double[] v;
        Engine.getInstance().setRandomSeed(11);
        try (NDScope s = new NDScope()) {
            MetaSGCL.Terms t = m.terms(b, new StepContext(1, 1, new SplittableRandom(9)), all);
            v = new double[] {t.rec1().getFloat(), t.rec2().getFloat(), t.kl1().getFloat(), t.kl2().getFloat(),
                t.cl().getFloat()};
        }
        System.out.printf(Locale.ROOT, "%s: Lrs1 %.4f  Lrs2 %.4f  KL1 %.4f  KL2 %.4f  Lcl %.4f  (alpha Lcl %.4f)%n",
                when, v[0], v[1], v[2], v[3], v[4], alpha * v[4]);
        System.out.printf(Locale.ROOT, "  |grad| on Theta without decoder: L %.4g, alpha Lcl %.4g, Lrs1 + Lrs2 %.4g "
                + "(contrastive / reconstruction %.1f)%n", total[1], cl[1], rec[1], cl[1] / rec[1]);
        System.out.printf(Locale.ROOT, "  |grad| on Phi: L %.4g, alpha Lcl %.4g, Lrs2 + beta KL2 %.4g%n", total[0],
                cl[0], meta[0]);
    }

    /** Gradient norms {Phi, Theta without decoder} of {@code terms(which).sum(alpha, beta)}. */
    private static double[] norms(MetaSGCL m, Batch b, Set<MetaSGCL.Term> which, double alpha, double beta) {
        Engine.getInstance().setRandomSeed(11);
        m.params().zeroGradients();
        try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(m.terms(b, new StepContext(1, 1, new SplittableRandom(9)), which).sum(alpha, beta));
        }
        double phi = 0;
        double theta = 0;
        for (String n : m.params().names()) {
            try (NDArray g = m.params().get(n).getGradient()) {
                double sq = 0;
                for (float x : g.toFloatArray()) {
                    sq += (double) x * x;
                }
                if (MetaSGCL.META_GROUP.test(n)) {
                    phi += sq;
                } else if (!n.startsWith("decoder")) {
                    theta += sq;
                }
            }
        }
        m.params().zeroGradients();
        return new double[] {Math.sqrt(phi), Math.sqrt(theta)};
    }
}
