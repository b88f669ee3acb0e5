package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared scaffolding of the dead-term tests of the SASRec-based baselines (CoSeRec, ICLRec, LMA4Rec, SRMA): one
 * training batch and the gradients of one loss evaluation with fixed random streams, so that switching a term off
 * must change the gradients.
 */
final class TermGradients {

    /** A loss of a model on a batch (e.g. {@code m::loss} or {@code m::contrastive}). */
    interface Term {
        NDArray apply(Batch batch, StepContext ctx);
    }

    private TermGradients() {
    }

    /**
     * The first training batch of a seeded epoch, built with a SASRec-based config's sample convention.
     *
     * @param split data
     * @param c the model's config
     * @param size batch size
     * @return the batch
     */
    static Batch firstBatch(LeaveOneOutSplit split, SASRecBasedConfig<?> c, int size) {
        return new TrainingSamples(split, c.sampleMode(), c.encoder().maxLen(), c.encoder().padding())
                .epoch(size, new SplittableRandom(4), true).get(0);
    }

    /**
     * Gradients of every parameter after one backward pass of {@code term} (engine seed 11, step context with
     * stream 9), starting from zero gradients.
     *
     * @param m the model
     * @param batch the batch
     * @param term the loss to differentiate
     * @return gradients by parameter name (parameters that take no gradient, i.e. frozen ones, left out)
     */
    static Map<String, float[]> of(AbstractRecommender<?> m, Batch batch, Term term) {
        Engine.getInstance().setRandomSeed(11);
        m.params().zeroGradients();
        try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(term.apply(batch, new StepContext(10, 5, new SplittableRandom(9), 100)));
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String n : m.params().names()) {
            if (!m.params().get(n).hasGradient()) {
                continue; // frozen: no gradient to read
            }
            try (NDArray g = m.params().get(n).getGradient()) {
                out.put(n, g.toFloatArray());
            }
        }
        return out;
    }

    /**
     * @param a gradients
     * @param b gradients of the same parameters
     * @return the largest absolute difference over all parameters
     */
    static double maxDiff(Map<String, float[]> a, Map<String, float[]> b) {
        double d = 0;
        for (String n : a.keySet()) {
            float[] x = a.get(n);
            float[] y = b.get(n);
            for (int i = 0; i < x.length; i++) {
                d = Math.max(d, Math.abs(x[i] - y[i]));
            }
        }
        return d;
    }

    /**
     * Asserts that a contrastive term is alive: switching its weight off changes the full loss's gradients, the
     * term alone has a gradient of at least 1e-4 somewhere and reaches at least half of the parameters.
     *
     * @param on gradients of the full loss
     * @param off gradients of the full loss with the term's weight 0
     * @param term gradients of the term alone
     */
    static void assertContrastiveAlive(Map<String, float[]> on, Map<String, float[]> off, Map<String, float[]> term) {
        double norm = 0;
        int reached = 0;
        for (float[] g : term.values()) {
            float max = 0;
            for (float v : g) {
                max = Math.max(max, Math.abs(v));
            }
            norm = Math.max(norm, max);
            reached += max > 0 ? 1 : 0;
        }
        assertTrue(maxDiff(on, off) > 1e-6, "lambda changes no gradient: dead contrastive term");
        assertTrue(norm > 1e-4, "the NCE term has no gradient");
        assertTrue(reached >= on.size() / 2, "the NCE term reaches only " + reached + " of " + on.size());
    }
}
