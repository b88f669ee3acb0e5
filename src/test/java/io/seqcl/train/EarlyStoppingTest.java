package io.seqcl.train;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Early stopping with a tie-break metric (Meta-SGCL: NDCG@10 ties broken by HR@10). */
class EarlyStoppingTest {

    private static Map<String, float[]> w(float v) {
        return Map.of("w", new float[] {v});
    }

    @Test
    void anEqualMonitorWithAHigherTieBreakIsAnImprovement() {
        EarlyStopping s = new EarlyStopping(2, 0);
        assertTrue(s.observe(1, 0.30, 0.50, () -> w(1)));
        assertTrue(s.observe(2, 0.30, 0.60, () -> w(2)), "same NDCG, higher HR: better");
        assertEquals(2, s.bestEpoch());
        assertEquals(0.60, s.bestTieBreak(), 0);
        assertEquals(2f, s.bestWeights().get("w")[0]);
        assertFalse(s.observe(3, 0.30, 0.60, () -> w(3)), "an exact tie of both is no improvement");
        assertFalse(s.observe(4, 0.30, 0.55, () -> w(4)));
        assertTrue(s.shouldStop());
        assertEquals(2, s.bestEpoch());
        assertTrue(s.observe(5, 0.31, 0.10, () -> w(5)), "a higher monitor wins whatever the tie break");
    }

    @Test
    void withoutATieBreakEqualValuesNeverImprove() {
        EarlyStopping s = new EarlyStopping(1, 0);
        assertTrue(s.observe(1, 0.30, () -> w(1)));
        assertFalse(s.observe(2, 0.30, () -> w(2)));
        assertFalse(s.observe(3, 0.30, Double.NaN, () -> w(3)));
        assertEquals(1, s.bestEpoch());
    }

    @Test
    void restoreKeepsTheTieBreakValue() {
        EarlyStopping s = new EarlyStopping(3, 0);
        s.restore(4, 2, 0.3, 0.6, 2, w(2));
        assertFalse(s.observe(5, 0.3, 0.6, () -> w(5)));
        assertTrue(s.observe(6, 0.3, 0.61, () -> w(6)));
    }

    @Test
    void stopEpochIsWhereShouldStopFiresWithoutAnImprovement() {
        EarlyStopping s = new EarlyStopping(3, 0);
        assertEquals(3, s.stopEpoch(1), "before any validation: the patience");
        s.observe(1, 0.1, () -> w(1));
        s.observe(2, 0.2, () -> w(2));
        assertEquals(5, s.stopEpoch(1), "best at 2, patience 3");
        s.observe(3, 0.1, () -> w(3));
        assertEquals(5, s.stopEpoch(1), "a worse epoch does not move it");
        s.observe(4, 0.1, () -> w(4));
        assertFalse(s.shouldStop());
        s.observe(5, 0.1, () -> w(5));
        assertTrue(s.shouldStop(), "stops after the predicted epoch");
        assertEquals(5, s.stopEpoch(1));

        EarlyStopping every5 = new EarlyStopping(2, 40);
        every5.observe(5, 0.3, () -> w(1));
        assertEquals(40, every5.stopEpoch(5), "the minimum number of epochs holds it back");
        every5.observe(40, 0.4, () -> w(2));
        assertEquals(50, every5.stopEpoch(5), "two more validations, five epochs apart");
    }
}
