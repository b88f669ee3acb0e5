package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.TestData;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each method's own term is alive: the gradient of the training loss with the term's weight on differs from the
 * gradient with the weight at 0, on the parameters the term must reach (and, where the method says so, the term is
 * the only way to reach them). A contrastive, KL or augmenter term that is silently zeroed fails here, although the
 * backbone alone would still "beat Pop".
 */
class MethodTermsTest {

    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(TestData.smallSynthetic());
    private static final int N = SPLIT.numItems();

    /** Per-parameter gradients of one loss evaluation with fixed random streams. */
    private static Map<String, float[]> grads(ModelConfig c) {
        try (SequentialRecommender m = ModelRegistry.create(c, N, 3)) {
            m.prepare(SPLIT);
            InputSpec s = m.inputSpec();
            Batch b = new TrainingSamples(SPLIT, s.sampleMode(), s.maxLen(), s.padding())
                    .epoch(32, new SplittableRandom(4), s.needsNegatives()).get(0);
            Engine.getInstance().setRandomSeed(11);
            try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = m.loss(b, new StepContext(10, 5, new SplittableRandom(9), 100));
                gc.backward(loss);
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            for (String n : m.params().names()) {
                try (NDArray g = m.params().get(n).getGradient()) {
                    out.put(n, g.toFloatArray());
                }
            }
            return out;
        }
    }

    /** Largest |difference| of the gradients over the parameters whose names match. */
    private static double diff(Map<String, float[]> a, Map<String, float[]> b, Predicate<String> which) {
        double max = 0;
        for (String n : a.keySet()) {
            if (which.test(n)) {
                float[] x = a.get(n);
                float[] y = b.get(n);
                for (int i = 0; i < x.length; i++) {
                    max = Math.max(max, Math.abs(x[i] - y[i]));
                }
            }
        }
        return max;
    }

    private static double norm(Map<String, float[]> a, Predicate<String> which) {
        double max = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            if (which.test(e.getKey())) {
                for (float v : e.getValue()) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        return max;
    }

    private static final Predicate<String> ITEMS = n -> n.equals(SASRec.ITEM_EMBEDDING);

    private static <C extends TransformerModelConfig<C>> C small(C c) {
        return c.withMaxLen(10).withWidth(16).withDropout(0.0);
    }

    @Test
    void cl4srecContrastiveTermReachesTheEncoder() {
        CL4SRecConfig on = small(CL4SRecConfig.defaults()).withLambda(0.5);
        double d = diff(grads(on), grads(on.withLambda(0)), ITEMS);
        assertTrue(d > 1e-6, "CL4SRec: lambda changes no item-embedding gradient (" + d + ")");
    }

    @Test
    void duorecContrastiveTermsReachTheEncoder() {
        DuoRecConfig on = small(DuoRecConfig.defaults()).withLambda(0.5).withLambdaSem(0.5);
        double d = diff(grads(on), grads(on.withLambda(0).withLambdaSem(0)), ITEMS);
        assertTrue(d > 1e-6, "DuoRec: the contrastive weights change no item-embedding gradient (" + d + ")");
    }

    @Test
    void mclrecLearnableViewTermIsTheOnlyPathToTheAugmenters() {
        MCLRecConfig on = small(MCLRecConfig.defaults()).withBeta(0.5).withLambda(0.2).joint();
        Predicate<String> aug = n -> n.startsWith(MCLRec.AUGMENTER_PREFIX);
        Map<String, float[]> with = grads(on);
        Map<String, float[]> without = grads(on.withBeta(0).withLambda(0).withRWeight(0));
        assertTrue(norm(with, aug) > 1e-6, "MCLRec: L_cl2/R do not reach the augmenters");
        assertTrue(norm(without, aug) == 0, "MCLRec: the augmenters get gradient without their terms");
        assertTrue(diff(with, without, ITEMS) > 1e-6, "MCLRec: its terms change no item-embedding gradient");
    }

    @Test
    void metasgclContrastiveTermReachesTheMetaEncoderAndKlTheVarianceHead() {
        MetaSGCLConfig on = small(MetaSGCLConfig.defaults()).withAlpha(0.5).withBeta(0.3);
        Map<String, float[]> base = grads(on);
        Predicate<String> meta = n -> n.startsWith(MetaSGCL.META_PREFIX);
        double cl = diff(base, grads(on.withAlpha(0)), meta);
        assertTrue(cl > 1e-6, "Meta-SGCL: alpha L_cl changes no gradient of the meta encoder (" + cl + ")");
        double kl = diff(base, grads(on.withBeta(0)), n -> n.startsWith("head.logvar"));
        assertTrue(kl > 1e-6, "Meta-SGCL: beta KL changes no gradient of the log-variance head (" + kl + ")");
    }

    @Test
    void contrastvaeContrastiveAndKlTermsReachTheVarianceEncoder() {
        ContrastVAEConfig on = small(ContrastVAEConfig.defaults()).withClWeight(0.5).withAnnealCap(0.3)
                .withAnnealSteps(100);
        Map<String, float[]> base = grads(on);
        Predicate<String> logvar = n -> n.startsWith("encoder_logvar");
        double cl = diff(base, grads(on.withClWeight(0)), logvar);
        assertTrue(cl > 1e-6, "ContrastVAE: the contrastive term changes no gradient of the variance encoder (" + cl
                + ")");
        double kl = diff(base, grads(on.withAnnealCap(0)), logvar);
        assertTrue(kl > 1e-6, "ContrastVAE: the KL term changes no gradient of the variance encoder (" + kl + ")");
    }
}
