package io.seqcl.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricTest {

    @Test
    void perUserValuesMatchClosedForms() {
        assertEquals(1.0, Metric.HR.value(1, 5));
        assertEquals(1.0, Metric.HR.value(5, 5));
        assertEquals(0.0, Metric.HR.value(6, 5));
        assertEquals(1.0, Metric.NDCG.value(1, 10), 1e-12);
        assertEquals(0.5, Metric.NDCG.value(3, 10), 1e-12); // 1/log2(4)
        assertEquals(1 / (Math.log(6) / Math.log(2)), Metric.NDCG.value(5, 5), 1e-12);
        assertEquals(0.0, Metric.NDCG.value(11, 10));
        assertEquals(0.25, Metric.MRR.value(4, 10), 1e-12);
        assertEquals(0.0, Metric.MRR.value(11, 10));
    }

    @Test
    void averagesOverUsersFromRanks() {
        // ranks 1, 3, 7, 20 over four users
        EvalResult r = new EvalResult("test", new int[] {0, 1, 2, 3}, new int[] {1, 3, 7, 20}, new int[] {5, 10});
        assertEquals(2 / 4.0, r.value("HR@5"), 1e-12);
        assertEquals(3 / 4.0, r.value("HR@10"), 1e-12);
        assertEquals((1 + 0.5) / 4.0, r.value("NDCG@5"), 1e-12);
        assertEquals((1 + 0.5 + 1 / 3.0) / 4.0, r.value("NDCG@10"), 1e-12); // log2(8) = 3
        assertEquals((1 + 1 / 3.0) / 4.0, r.value("MRR@5"), 1e-12);
        assertEquals((1 + 1 / 3.0 + 1 / 7.0) / 4.0, r.value("MRR@10"), 1e-12);
        assertEquals(3 * 2, r.table("m").rowCount());
    }

    @Test
    void keysParseAndRejectNonsense() {
        assertEquals(new MetricKey(Metric.NDCG, 10), MetricKey.parse("ndcg@10"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricKey.parse("AUC@3"));
        assertTrue(e.getMessage().contains("AUC@3"));
        assertThrows(IllegalArgumentException.class, () -> MetricKey.parse("HR@0"));
        assertThrows(IllegalArgumentException.class, () -> MetricKey.parse("HR"));
    }
}
