package io.seqcl.experiment;

import io.seqcl.TestData;
import io.seqcl.eval.EvalResult;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaperNumbersTest {

    @Test
    void tablesHoldThePrintedNumbersWithTheirNotes() {
        assertEquals(0.0907, PaperNumbers.value("metasgcl", "II", "toys", "", "Meta-SGCL", "HR@10").orElseThrow());
        assertEquals(0.1243, PaperNumbers.value("mclrec", "3", "Beauty", "", "MCLRec", "HR@20").orElseThrow());
        assertEquals(0.0482, PaperNumbers.value("metasgcl", "III", "Toys", "", "-cl", "NDCG@10").orElseThrow());
        assertEquals(0.0420, PaperNumbers.value("metasgcl", "IV", "Toys", "heads=2", "Meta-SGCL", "NDCG@5")
                .orElseThrow());
        Table t5 = PaperNumbers.table("metasgcl", "V");
        assertEquals(48, t5.rowCount(), "2 datasets x 6 temperatures x 4 metrics");
        Table typo = t5.where(t5.stringColumn("note").isNotEqualTo(""));
        assertEquals(1, typo.rowCount());
        assertEquals("likely 0.0297", typo.stringColumn("note").get(0));
        assertEquals(11 * 4 * 3, PaperNumbers.table("metasgcl", "II").rowCount());
        assertTrue(PaperNumbers.value("mclrec", "3", "Sports", "", "LMA4Rec", "HR@10").isEmpty(),
                "the source row lost this value");
        // AdvInfoNCE reports only its headline relative gains over InfoNCE (experiments.md section C)
        assertEquals(0.2190, PaperNumbers.value("advinfonce", "headline", "", "up to", "AdvInfoNCE vs InfoNCE",
                "Recall@20").orElseThrow());
        assertEquals(0.2414, PaperNumbers.value("advinfonce", "headline", "", "up to", "AdvInfoNCE vs InfoNCE",
                "NDCG@20").orElseThrow());
        assertEquals(2, PaperNumbers.table("advinfonce", "headline").rowCount());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PaperNumbers.table("metasgcl", "IX"))
                .getMessage().contains("no numbers"));
    }

    @Test
    void comparisonGivesOursPaperAndTheRelativeDifference() {
        // Two users at ranks 1 and 20: HR@5 = 0.5, HR@10 = 0.5, NDCG@5 = NDCG@10 = 0.5
        EvalResult test = new EvalResult("test", new int[] {0, 1}, new int[] {1, 20}, new int[] {5, 10, 20});
        TrainResult r = new TrainResult("SASRec", 1, 1, false, test, test, Table.create("c"), 1.0);
        TrainResult unknown = new TrainResult("Mine", 1, 1, false, test, test, Table.create("c"), 1.0);
        ExperimentSpec spec = new ExperimentSpec("x", List.of(ModelSpec.pop().named("SASRec"),
                ModelSpec.pop().named("Mine")), TrainConfig.defaults());
        RunResult run = new RunResult(spec, List.of(r, unknown), Provenance.start(TestData.tiny(), 1));
        Table c = Comparison.withPaper(run, "metasgcl", "II", "toys");
        assertEquals(8, c.rowCount(), "4 metrics of table II for each of 2 models");
        assertEquals("Toys", c.stringColumn("dataset").get(0));
        assertEquals("HR@5", c.stringColumn("metric").get(0));
        assertEquals(0.5, c.doubleColumn("ours").get(0));
        assertEquals(0.0429, c.doubleColumn("paper").get(0));
        assertEquals(Math.round(1000 * (0.5 - 0.0429) / 0.0429) / 10.0, c.doubleColumn("diff_pct").get(0));
        assertTrue(c.doubleColumn("paper").isMissing(4), "no paper number for a model the paper lacks");
        assertEquals("ML-1M", Comparison.paperDataset("ml-1m+noise20%"));
        Table q = Comparison.withPaper(run, "metasgcl", "II", "toys (quick: 1000 most frequent items, 2889 users)");
        assertEquals("Toys", q.stringColumn("dataset").get(0));
        assertEquals(0.0429, q.doubleColumn("paper").get(0), "the paper's number stays for reference");
        assertTrue(q.doubleColumn("diff_pct").isMissing(0), "no relative difference on the quick budget's data");
        assertTrue(q.name().contains("quick budget"), q.name());
    }
}
