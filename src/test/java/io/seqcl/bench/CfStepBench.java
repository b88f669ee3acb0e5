package io.seqcl.bench;

import io.seqcl.cf.CfBatch;
import io.seqcl.cf.CfConfig;
import io.seqcl.cf.CfDataset;
import io.seqcl.cf.CfDatasets;
import io.seqcl.cf.CfModel;
import io.seqcl.cf.CfSampler;
import io.seqcl.cf.CfTrainer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A benchmark command (not a test) for the collaborative-filtering training step: times {@link CfTrainer#mainStep}
 * and {@link CfTrainer#adversarialStep} of one model with the README settings of advinfonce.md §7 on batches of one
 * sampled epoch, and one validation pass, and prints them per round; with a file argument it also writes a
 * libtorch operator trace of 10 main steps and prints the operators by self time.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) -Dai.djl.pytorch.num_threads=1 \
 *     io.seqcl.bench.CfStepBench [dataset=yahoo] [backbone=MF] [loss=ADV_INFONCE] [steps=30] [trace.json]
 * </pre>
 *
 * <p>The README's "Collaborative filtering step" tables were measured with it, one build after the other on the
 * same machine and batches (seed 101 for the model, 1 for the sampler), alternating, two rounds each; the third
 * round's line of each run is the one reported. Needs {@code SEQCL_DATA} with the dataset.
 */
public final class CfStepBench {

    private CfStepBench() {
    }

    /**
     * @param args dataset, backbone, loss, steps per round, optional trace file
     * @throws Exception on a failure
     */
    public static void main(String[] args) throws Exception {
        String ds = args.length > 0 ? args[0] : "yahoo";
        CfConfig.Backbone backbone = CfConfig.Backbone.valueOf(args.length > 1 ? args[1] : "MF");
        CfConfig.Loss loss = CfConfig.Loss.valueOf(args.length > 2 ? args[2] : "ADV_INFONCE");
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Path trace = args.length > 4 ? Path.of(args[4]) : null;
        CfDataset d = CfDatasets.load(ds);
        CfConfig c = CfConfig.paper(ds, backbone, loss);
        try (CfModel m = new CfModel(c, d, 101)) {
            CfTrainer t = new CfTrainer(m, d, 101);
            long t0 = System.nanoTime();
            List<CfBatch> batches = new CfSampler(d).epoch(c.batchSize(), c.negatives(), 0, new SplittableRandom(1));
            System.out.printf(Locale.ROOT, "%s, %s, %s: %d batches of %d (sampled in %.1f ms), %s%n", ds, backbone,
                    loss, batches.size(), c.batchSize(), (System.nanoTime() - t0) / 1e6,
                    io.seqcl.Settings.processSettings());
            for (int r = 1; r <= 3; r++) {
                long a = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    t.mainStep(batches.get(i % batches.size()));
                }
                double main = (System.nanoTime() - a) / 1e6 / steps;
                double adv = Double.NaN;
                if (m.hasHardness()) {
                    a = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        t.adversarialStep(batches.get(i % batches.size()));
                    }
                    adv = (System.nanoTime() - a) / 1e6 / steps;
                }
                a = System.nanoTime();
                double valid = t.validRecall();
                System.out.printf(Locale.ROOT, "round %d: main %.2f ms/step, adversarial %.2f ms/step, validation"
                        + " %.0f ms (Recall@20 %.4f)%n", r, main, adv, (System.nanoTime() - a) / 1e6, valid);
            }
            if (trace != null) {
                ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                for (int i = 0; i < 10; i++) {
                    t.mainStep(batches.get(i % batches.size()));
                }
                ai.djl.pytorch.jni.JniUtils.stopProfile(trace.toAbsolutePath().toString());
                System.out.print(OperatorProfile.read(trace).table(25, 10));
            }
        }
    }
}
