package io.seqcl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqcl.config.Configs;
import io.seqcl.data.SyntheticDataset;
import io.seqcl.eval.HistoryMode;
import io.seqcl.eval.MetricKey;
import io.seqcl.protocol.Padding;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each paper's protocol holds the values of common.md section 5 and its spec, and runs use it by default. */
class PaperProtocolTest {

    @Test
    void mclrecIsRecBoleWithoutHistoryExclusion() {
        PaperProtocol p = PaperSettings.Paper.MCLREC.protocol();
        assertEquals(HistoryMode.NONE, p.history());
        assertEquals(Padding.RIGHT, p.padding());
        assertEquals(PaperProtocol.Samples.PREFIX, p.samples());
        assertEquals(50, p.maxLenFor("beauty"));
        assertEquals(50, p.maxLenFor("ml-1m")); // MCLRec/DuoRec configs keep 50 on ML-1M
        assertEquals(PaperProtocol.Candidates.ITEMS, p.candidates());
        assertEquals("MRR@10", p.monitor());
        assertNull(p.tieBreak());
        assertEquals(PaperProtocol.StopRule.STRICT, p.stopRule());
        assertEquals(11, p.patience()); // stopping_step 10: stop at the 11th non-improving validation
        assertEquals(100, p.maxEpochs());
        assertEquals(List.of(5, 10, 20), p.ks());
    }

    @Test
    void metaSgclExcludesHistoryAndBreaksNdcgTiesByHr() {
        PaperProtocol p = PaperSettings.Paper.METASGCL.protocol();
        assertEquals(HistoryMode.NEG_INF, p.history());
        assertEquals(Padding.LEFT, p.padding());
        assertEquals(PaperProtocol.Samples.ALL_POSITIONS, p.samples());
        assertEquals(50, p.maxLenFor("toys"));
        assertEquals(200, p.maxLenFor("ml-1m"));
        assertEquals("NDCG@10", p.monitor());
        assertEquals("HR@10", p.tieBreak());
        assertEquals(PaperProtocol.StopRule.STRICT_WITH_TIE_BREAK, p.stopRule());
        assertEquals(100, p.patience());
        assertEquals(1000, p.maxEpochs());
        assertEquals(List.of(5, 10), p.ks());
        assertTrue(p.deviations().contains("our documented choices"), p.deviations());
    }

    @Test
    void contrastVaeAndCoSeRecFamilyScoreHistoryZero() {
        for (PaperSettings.Paper paper : List.of(PaperSettings.Paper.CONTRASTVAE, PaperSettings.Paper.COSEREC)) {
            PaperProtocol p = paper.protocol();
            assertEquals(HistoryMode.ZERO, p.history(), paper.name());
            assertEquals(Padding.LEFT, p.padding());
            assertEquals(PaperProtocol.Candidates.ALL_ROWS, p.candidates());
            assertTrue(p.deviations().contains("1..N"), p.deviations());
        }
        PaperProtocol v = PaperSettings.Paper.CONTRASTVAE.protocol();
        assertEquals(PaperProtocol.StopRule.ANY_OF_HR10_NDCG10, v.stopRule());
        assertEquals(200, v.patience());
        assertEquals(400, v.maxEpochs());
        assertEquals(List.of(1, 5, 10, 15, 20, 40), v.ks());
        // baselines.md section 1.2: valid NDCG@20 strictly greater, patience 40, at most 300 epochs, HR/NDCG@5,10,20
        PaperProtocol f = PaperSettings.Paper.COSEREC.protocol();
        assertEquals("NDCG@20", f.monitor());
        assertEquals(PaperProtocol.StopRule.STRICT, f.stopRule());
        assertEquals(40, f.patience());
        assertEquals(300, f.maxEpochs());
        assertEquals(List.of(5, 10, 20), f.ks());
        // the family's training preset and the protocol say the same
        TrainConfig t = PaperSettings.coserecFamilyTrain(Budget.FULL, 7);
        assertEquals(f.history(), t.history());
        assertEquals(f.monitorKey(), t.monitor());
        assertEquals(f.patience(), t.patience());
        assertEquals(f.maxEpochs(), t.epochs());
        PaperProtocol c = PaperSettings.Paper.CONTRASTVAE.protocol();
        assertEquals(50, c.maxLenFor("beauty"));
        assertEquals(100, c.maxLenFor("toys"));
    }

    @Test
    void advInfoNceHasItsOwnCandidateRule() {
        PaperProtocol p = PaperSettings.Paper.ADVINFONCE.protocol();
        assertEquals(PaperProtocol.Candidates.ADVINFONCE_DUMP, p.candidates());
        assertEquals(PaperProtocol.Samples.USER_DRAWS, p.samples());
        assertEquals("Recall@20", p.monitor());
        assertEquals(10, p.patience());
        assertEquals(5, p.evalEvery());
        assertEquals(2000, p.maxEpochs());
        assertEquals(List.of(20), p.ks());
        assertTrue(!p.sequential() && p.padding() == null);
        assertThrows(IllegalArgumentException.class,
                () -> PaperSettings.train(PaperSettings.Paper.ADVINFONCE, Budget.FULL, 1));
    }

    @ParameterizedTest
    @EnumSource(PaperSettings.Paper.class)
    void roundTripsThroughJsonAndYaml(PaperSettings.Paper paper) {
        PaperProtocol p = paper.protocol();
        assertEquals(p, Configs.parse(PaperProtocol.class, Configs.toJson(p), "json"));
        assertEquals(p, Configs.parse(PaperProtocol.class, Configs.toYaml(p), "yaml"));
        assertEquals(paper, PaperSettings.Paper.parse(p.paper()));
    }

    @Test
    void trainingSettingsFollowTheProtocol() {
        TrainConfig m = PaperSettings.train(PaperSettings.Paper.MCLREC, Budget.FULL, 3);
        assertEquals(HistoryMode.NONE, m.history());
        assertEquals(MetricKey.parse("MRR@10"), m.monitor());
        assertEquals(11, m.patience());
        assertEquals(100, m.epochs());
        assertNull(m.tieBreak());
        assertEquals(HistoryMode.NONE, PaperSettings.train(PaperSettings.Paper.MCLREC, Budget.QUICK, 3).history());
        TrainConfig s = PaperSettings.train(PaperSettings.Paper.METASGCL, Budget.FULL, 3);
        assertEquals(HistoryMode.NEG_INF, s.history());
        assertEquals(MetricKey.parse("HR@10"), s.tieBreak());
        assertEquals(100, s.patience());
        assertEquals(1000, s.epochs());
        assertArrayEquals(new int[] {5, 10, 20}, s.ks());
        TrainConfig c = PaperSettings.train(PaperSettings.Paper.CONTRASTVAE, Budget.FULL, 3);
        assertEquals(HistoryMode.ZERO, c.history());
        assertArrayEquals(new int[] {1, 5, 10, 15, 20, 40}, c.ks());
        assertEquals(PaperSettings.Paper.MCLREC, PaperProtocol.matching(m).map(p -> PaperSettings.Paper.parse(p.paper()))
                .orElseThrow());
        assertTrue(PaperProtocol.heading(m).startsWith("mclrec protocol: history NONE, valid MRR@10"),
                PaperProtocol.heading(m));
        assertTrue(PaperProtocol.heading(TrainConfig.defaults().withHistory(HistoryMode.ZERO)
                .withMonitor("HR@5")).startsWith("custom protocol"));
    }

    @Test
    void invalidValuesNameTheField() {
        PaperProtocol p = PaperSettings.Paper.MCLREC.protocol();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PaperProtocol("x",
                p.history(), p.padding(), p.samples(), p.maxLen(), Map.of(), p.candidates(), "NDCG@10", null,
                PaperProtocol.StopRule.STRICT_WITH_TIE_BREAK, 5, 10, 1, List.of(10), p.rankTies(), null));
        assertTrue(e.getMessage().contains("tieBreak"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PaperProtocol("x", p.history(), p.padding(),
                p.samples(), p.maxLen(), Map.of(), p.candidates(), "NDCG@x", null, PaperProtocol.StopRule.STRICT,
                5, 10, 1, List.of(10), p.rankTies(), null));
        assertTrue(e.getMessage().contains("monitor"), e.getMessage());
    }

    private static ExperimentFile.Model pop() {
        return new ExperimentFile.Model("pop", null, null, null);
    }

    @Test
    void experimentFilesUseTheModelsPaperByDefaultAndValidateChanges() {
        ExperimentFile mcl = new ExperimentFile("t", List.of("synthetic"), null, Budget.QUICK, null, null,
                List.of(pop(), new ExperimentFile.Model("mclrec", null, null, null)), null);
        assertEquals(PaperSettings.Paper.MCLREC, mcl.protocol());
        assertEquals(HistoryMode.NONE, mcl.trainConfig(1).history());
        ExperimentFile sas = new ExperimentFile("t", List.of("synthetic"), null, Budget.QUICK, null, null,
                List.of(pop()), null);
        assertEquals(PaperSettings.Paper.METASGCL, sas.protocol());

        JsonNode changes = ExperimentFile.setsToObject(List.of("history=NEG_INF", "patience=20"));
        ExperimentFile changed = new ExperimentFile("t", List.of("synthetic"), PaperSettings.Paper.MCLREC,
                Budget.FULL, null, null, List.of(pop()), null, changes);
        assertEquals(HistoryMode.NEG_INF, changed.paperProtocol().history());
        assertEquals(HistoryMode.NEG_INF, changed.trainConfig(1).history());
        assertEquals(20, changed.trainConfig(1).patience());
        assertEquals("MRR@10", changed.paperProtocol().monitor());
        ExperimentFile again = Configs.parse(ExperimentFile.class, changed.toYaml(), "yaml");
        assertEquals(changed.paperProtocol(), again.paperProtocol());

        RuntimeException bad = assertThrows(RuntimeException.class, () -> new ExperimentFile("t",
                List.of("synthetic"), PaperSettings.Paper.MCLREC, Budget.FULL, null, null, List.of(pop()), null,
                ExperimentFile.setsToObject(List.of("histori=NONE"))));
        assertTrue(bad.getMessage().contains("protocolSettings") && bad.getMessage().contains("histori"),
                bad.getMessage());
        bad = assertThrows(RuntimeException.class, () -> new ExperimentFile("t", List.of("synthetic"),
                PaperSettings.Paper.MCLREC, Budget.FULL, null, null, List.of(pop()), null,
                ExperimentFile.setsToObject(List.of("patience=0"))));
        assertTrue(bad.getMessage().contains("patience"), bad.getMessage());
        bad = assertThrows(RuntimeException.class, () -> new ExperimentFile("t", List.of("synthetic"),
                PaperSettings.Paper.ADVINFONCE, Budget.QUICK, null, null, List.of(pop()), null));
        assertTrue(bad.getMessage().contains("collaborative filtering"), bad.getMessage());
    }

    @Test
    void aRunUnderMclrecProtocolEvaluatesWithHistoryNoneAndRecordsIt() {
        ExperimentFile exp = new ExperimentFile("proto", List.of("synthetic"), PaperSettings.Paper.MCLREC,
                Budget.QUICK, List.of(5L), null, List.of(pop()), null);
        RunResult r = Experiments.run(exp, null, false, ProgressListener.NONE).get(0);
        TrainResult pop = r.results().get(0);
        assertEquals(HistoryMode.NONE, r.spec().train().history());
        assertArrayEquals(pop.testByHistory().get(HistoryMode.NONE).ranks(), pop.test().ranks());
        assertNotEquals(java.util.Arrays.toString(pop.testByHistory().get(HistoryMode.NEG_INF).ranks()),
                java.util.Arrays.toString(pop.test().ranks()), "Pop ranks history items; excluding them must matter");
        // all three modes are stored beside the main one
        List<String> splits = r.metrics().stringColumn("split").unique().asList();
        assertTrue(splits.containsAll(List.of("valid", "test", "test-none", "test-zero", "test-neg_inf")), splits.toString());
        // provenance holds the protocol, and the tables say it
        assertEquals("mclrec", r.provenance().get("protocol"));
        assertEquals("NONE", r.provenance().get("protocol.history"));
        assertEquals("MRR@10", r.provenance().get("protocol.monitor"));
        assertTrue(r.provenance().toJson().contains("\"protocol\" : {"), r.provenance().toJson());
        assertTrue(r.provenance().table().stringColumn("key").contains("protocol.history"));
        assertTrue(r.summary().name().contains("mclrec protocol: history NONE"), r.summary().name());
        assertTrue(r.title("test").contains("valid MRR@10"));
    }

    @Test
    void aChangedProtocolIsNamedAsChangedAndRuns() {
        ExperimentFile exp = new ExperimentFile("proto", List.of("synthetic"), PaperSettings.Paper.MCLREC,
                Budget.QUICK, List.of(5L), null, List.of(pop()), null,
                ExperimentFile.setsToObject(List.of("history=NEG_INF")));
        RunResult r = Experiments.run(exp, null, false, ProgressListener.NONE).get(0);
        assertEquals(HistoryMode.NEG_INF, r.spec().train().history());
        assertEquals("NEG_INF", r.provenance().get("protocol.history"));
        assertTrue(r.summary().name().contains("mclrec (changed) protocol: history NEG_INF, valid MRR@10"),
                r.summary().name());
    }

    @Test
    void notebookRunnersPickUpTheProtocolThroughTheLibrary() {
        var ds = SyntheticDataset.defaultDataset();
        assertEquals(HistoryMode.NONE, MCLRecExperiments.train(Budget.QUICK, 1).history());
        assertEquals(HistoryMode.NEG_INF, MetaSGCLExperiments.overall(ds, Budget.QUICK, 1).train().history());
    }
}
