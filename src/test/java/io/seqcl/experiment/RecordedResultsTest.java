package io.seqcl.experiment;

import io.seqcl.data.DataFormatException;
import io.seqcl.data.SequenceDataset;
import io.seqcl.data.SyntheticDataset;
import io.seqcl.eval.Metric;
import io.seqcl.eval.MetricKey;
import io.seqcl.train.ProgressListener;
import io.seqcl.experiment.recipe.Recipe;
import io.seqcl.experiment.recipe.Recipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading recorded full-budget runs back and comparing them with the papers: parsing of both result layouts
 * (fixtures in {@code src/test/resources/io/seqcl/experiment/recorded}, see its README), partial results, the
 * closed forms of mean ± CI, relative difference and ordering, the plain "nothing recorded" messages, errors naming
 * file and line, and parity with the recorded Coat run's own seeds summary.
 */
class RecordedResultsTest {

    private static final Path FIXTURES = Path.of("src/test/resources/io/seqcl/experiment/recorded");
    private static final RecordedResults.Source TABLE3 = RecordedResults.Source.table("MCLRec Table 3",
            "mclrec/table3-*", "mclrec", "3", "test");
    private static final RecordedResults.Source HEADLINE = RecordedResults.Source.headlineGain("AdvInfoNCE headline",
            "advinfonce/*", "advinfonce", "headline", "up to", "AdvInfoNCE vs InfoNCE", "AdvInfoNCE", "InfoNCE");
    /** t_{0.975, 1}: the 95 % Student-t quantile with one degree of freedom (two seeds). */
    private static final double T1 = 12.706204736174707;

    @TempDir
    Path tmp;

    /** A writable copy of the sequential fixture tree under {@code tmp/name}. */
    private Path copyOfSequentialFixture(String name) throws IOException {
        Path copy = tmp.resolve(name);
        try (var files = Files.walk(FIXTURES.resolve("seq"))) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(FIXTURES.resolve("seq").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return copy;
    }

    @Test
    void readsASequentialRunWithPartialResultsAndSaysWhatIsMissing() {
        RecordedResults r = RecordedResults.of(TABLE3, FIXTURES.resolve("seq"));
        assertTrue(r.exists());
        assertEquals(1, r.experiments().size());
        RecordedResults.Experiment e = r.experiments().get(0);
        assertEquals("mclrec/table3-beauty", e.name());
        assertEquals(List.of("beauty"), e.datasets());
        assertEquals(List.of(2020L, 2021L, 2022L), e.seeds());
        assertEquals(List.of("Pop", "SASRec", "CL4SRec", "DuoRec", "MCLRec"), e.models(),
                "display names resolved through the registry with the Beauty presets");
        assertEquals(List.of("Pop", "SASRec", "DuoRec"), List.copyOf(e.runs().get(0).metrics().keySet()));
        assertEquals(0.0600, e.runs().get(0).metrics().get("SASRec").get("test").get("HR@10"), 0);
        assertEquals("seed 2022 (no metrics yet); seed 2020: CL4SRec, MCLRec; seed 2021: CL4SRec",
                RecordedResults.missing(e, "beauty"));
        String msg = r.message();
        assertTrue(msg.contains("mclrec/table3-beauty on beauty: seeds 2020, 2021 (2 of 3)"), msg);
        assertTrue(msg.contains("missing: seed 2022 (no metrics yet); seed 2020: CL4SRec, MCLRec"), msg);
        assertTrue(msg.contains("started 2026-11-30 17:40 to 2026-12-01 09:02 UTC"), msg);
        assertTrue(msg.contains("commit 8ab70d0;"), msg);
        assertTrue(msg.contains("machine AMD EPYC, 2 cores, cpu()"), msg);
        assertTrue(msg.contains("wall time 8 h 45 min (10512-20990 s per seed)"), msg);
        assertTrue(msg.contains("budget full"), msg);
        assertTrue(msg.contains("protocol mclrec protocol: history NONE, right padding"), msg);
        Table prov = r.provenance();
        assertEquals(2, prov.rowCount());
        assertEquals("2 h 55 min", prov.stringColumn("wall time").get(0));
        assertEquals("Pop, SASRec, DuoRec, MCLRec", prov.stringColumn("models").get(1));
    }

    @Test
    void aResumedRunShowsItsEpochTimeAcrossSittingsBesideTheLastSittingsWallTime() throws Exception {
        Path copy = copyOfSequentialFixture("seq");
        Path prov = copy.resolve("mclrec/table3-beauty/beauty/seed-2020/provenance.csv");
        Files.writeString(prov, Files.readString(prov) + "epoch.seconds,36000.0\n");
        String msg = RecordedResults.of(TABLE3, copy).message();
        assertTrue(msg.contains("epoch time across sittings 10 h 0 min; wall time of the last sitting 8 h 45 min"),
                msg);
        assertTrue(msg.contains("commit 8ab70d0;"), "no build entries: the commit alone, " + msg);
        // the epochs of a resumed run name their builds (Runner's build.<model> ranges)
        Files.writeString(prov, Files.readString(prov) + "build.SASRec,epochs 1-21 not recorded; 22-34 84e90c2aaaaa\n"
                + "build.DuoRec,epochs 1-5 84e90c2aaaaa; 6-9 1723b0fd6bf0+dirty\n");
        msg = RecordedResults.of(TABLE3, copy).message();
        assertTrue(msg.contains("commit 8ab70d0 (last sitting); epochs trained by not recorded, 84e90c2aaaaa, "
                + "1723b0fd6bf0+dirty (seed 2020), not recorded (seed 2021);"), msg);
    }

    @Test
    void aModelWhoseTrainingEndedBeforeTheStoppingRuleIsNamed() throws Exception {
        Path copy = copyOfSequentialFixture("cut");
        Path seed = copy.resolve("mclrec/table3-beauty/beauty/seed-2020");
        Path prov = seed.resolve("provenance.csv");
        Files.writeString(prov, Files.readString(prov) + "protocol.patience,11\nprotocol.maxEpochs,100\n"
                + "protocol.evalEvery,1\n");
        StringBuilder curve = new StringBuilder("model,epoch,loss,valid,seconds,build,ended\n");
        // SASRec: best at 5, then 11 epochs without improvement (the rule stopped it); DuoRec: best at 8 of 9
        for (int ep = 1; ep <= 16; ep++) {
            curve.append("SASRec,").append(ep).append(",1.0,").append(ep <= 5 ? 0.01 * ep : 0.04).append(",1.0,,\n");
        }
        for (int ep = 1; ep <= 9; ep++) {
            curve.append("DuoRec,").append(ep).append(",1.0,").append(ep == 8 ? 0.09 : 0.01 * ep).append(",1.0,,\n");
        }
        Files.writeString(seed.resolve("curves.csv"), curve.toString());
        RecordedResults r = RecordedResults.of(TABLE3, copy);
        RecordedResults.SeedRun run = r.experiments().get(0).done("beauty").stream().filter(x -> x.seed() == 2020)
                .findFirst().orElseThrow();
        assertEquals(List.of("DuoRec (best epoch 8, last 9: 1 epochs without improvement of the rule's 11; at most "
                + "100)"), RecordedResults.cutShort(run));
        String msg = r.message();
        assertTrue(msg.contains("ended before the protocol's stopping rule (numbers of the best epoch so far, not of a "
                + "finished run): seed 2020: DuoRec (best epoch 8"), msg);
        // one more epoch without improvement each, up to the rule: DuoRec still short, then neither
        Files.writeString(prov, Files.readString(prov).replace("protocol.patience,11", "protocol.patience,1"));
        assertEquals(List.of(), RecordedResults.cutShort(RecordedResults.of(TABLE3, copy).experiments().get(0)
                .done("beauty").stream().filter(x -> x.seed() == 2020).findFirst().orElseThrow()));
        // a malformed row names the file and line
        Files.writeString(seed.resolve("curves.csv"), curve + "DuoRec,ten,1.0,0.1,1.0,,\n");
        RecordedResults broken = RecordedResults.of(TABLE3, copy);
        io.seqcl.data.DataFormatException ex = org.junit.jupiter.api.Assertions.assertThrows(
                io.seqcl.data.DataFormatException.class, broken::message);
        assertTrue(ex.getMessage().contains("curves.csv") && ex.getMessage().contains("27"), ex.getMessage());
    }

    @Test
    void everyRecordedTableRunEndedByItsStoppingRuleAndTheCappedDiagnosticsAreNamed() throws IOException {
        // the recorded full-budget tables are finished runs: none was capped or recorded before its rule stopped it;
        // the Meta-SGCL diagnostics of 15 and 30 epochs (--set train.epochs=N, metasgcl/README.md) were capped, and
        // so was the DuoRec run on Toys recorded after 114 epochs when the sitting ended (duorec-capped-114)
        List<String> tables = new java.util.ArrayList<>();
        java.util.Set<String> diagnostics = new java.util.TreeSet<>();
        Path results = Path.of("notebooks", "results");
        try (var files = Files.walk(results)) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("provenance.csv")).toList()) {
                Path dir = p.getParent();
                var run = new RecordedResults.SeedRun(dir.getParent().getFileName().toString(), 0, dir, Map.of(),
                        RecordedResults.readProvenance(p));
                List<String> cut = RecordedResults.cutShort(run);
                if (dir.toString().contains("diagnostics")) {
                    if (!cut.isEmpty()) {
                        diagnostics.add(dir.getParent().getParent().getFileName().toString());
                    }
                } else {
                    cut.forEach(m -> tables.add(dir + ": " + m));
                }
            }
        }
        assertEquals(List.of(), tables);
        assertEquals(java.util.Set.of("alpha-0", "anneal-mean", "clPooling-MEAN", "klAnnealSteps-10000",
                "klOverPadding-true", "klOverPadding-true-30", "metaLoss-CL", "duorec-capped-114"), diagnostics,
                "every capped diagnostic, and not klOverSlots-true (two full runs)");
    }

    @Test
    void comparisonHasTheClosedFormMeansIntervalsAndRelativeDifferences() {
        Table c = RecordedResults.of(TABLE3, FIXTURES.resolve("seq")).comparison();
        // SASRec HR@10: seeds 0.060, 0.070 -> mean 0.065, sd 0.1/sqrt(200), half-width t_1 * sd / sqrt(2) = t_1 * 0.005
        Table sas = c.where(c.stringColumn("model").isEqualTo("SASRec").and(c.stringColumn("metric")
                .isEqualTo("HR@10")));
        assertEquals(1, sas.rowCount());
        assertEquals("Beauty", sas.stringColumn("dataset").get(0));
        assertEquals(0.0624, sas.doubleColumn("paper").get(0), 0);
        assertEquals(0.065, sas.doubleColumn("recorded mean").get(0), 1e-12);
        assertEquals(2, sas.intColumn("seeds").get(0));
        assertEquals(String.format(java.util.Locale.ROOT, "0.0650 ± %.4f", T1 * 0.005),
                sas.stringColumn("recorded (mean ± 95% CI)").get(0));
        assertEquals(4.2, sas.doubleColumn("diff_pct").get(0), 1e-12, "100 (0.065 - 0.0624) / 0.0624 = 4.17");
        Table mcl = c.where(c.stringColumn("model").isEqualTo("MCLRec").and(c.stringColumn("metric")
                .isEqualTo("HR@10")));
        assertEquals(1, mcl.intColumn("seeds").get(0), "a model recorded at one seed only");
        assertEquals("0.0900", mcl.stringColumn("recorded (mean ± 95% CI)").get(0), "no interval from one seed");
        assertEquals(3.3, mcl.doubleColumn("diff_pct").get(0), 1e-12);
        Table pop = c.where(c.stringColumn("model").isEqualTo("Pop"));
        assertEquals(2, pop.rowCount(), "Pop is recorded (HR@10, NDCG@10) but not in the paper");
        assertTrue(pop.doubleColumn("paper").isMissing().size() == 2);
        assertEquals(8, c.rowCount(), "4 models x the 2 recorded metrics of the paper's table; split 'test' only");
        Stats.Summary s = RecordedResults.summary(RecordedResults.of(TABLE3, FIXTURES.resolve("seq")).experiments()
                .get(0), "beauty", "DuoRec", "test-neg_inf", "HR@10");
        assertEquals(0.052 * 1.2, s.mean(), 1e-12, "other splits are read too");
    }

    @Test
    void theLiveRunStandsBesideTheRecordedOneMatchedByDatasetModelAndMetric() {
        SequenceDataset syn = SyntheticDataset.defaultDataset();
        int[][] seqs = new int[syn.numUsers()][];
        int[] ids = new int[syn.numUsers()];
        for (int u = 0; u < seqs.length; u++) {
            seqs[u] = syn.sequence(u);
            ids[u] = u;
        }
        SequenceDataset ds = new SequenceDataset("beauty (quick: synthetic stand-in)", ids, seqs, syn.numItems(),
                "synthetic", null);
        RunResult live = Runner.run(ds, new ExperimentSpec("live", List.of(ModelSpec.pop()),
                PaperSettings.train(PaperSettings.Paper.MCLREC, Budget.QUICK, 2020)), ProgressListener.NONE);
        RecordedResults r = RecordedResults.of(TABLE3, FIXTURES.resolve("seq"));
        Table c = r.comparison(List.of(live));
        assertTrue(c.name().contains("live run"), c.name());
        Table pop = c.where(c.stringColumn("model").isEqualTo("Pop").and(c.stringColumn("metric").isEqualTo("HR@10")));
        double expected = Math.round(live.result("Pop").test().value(new MetricKey(Metric.HR, 10)) * 1e4) / 1e4;
        assertEquals(expected, pop.doubleColumn("live run").get(0), 0);
        assertTrue(c.where(c.stringColumn("model").isEqualTo("SASRec")).doubleColumn("live run").isMissing().size() == 2,
                "SASRec was not in the live run");
        assertEquals(c.rowCount(), r.comparison().rowCount(), "the live run adds a column, never rows");
        assertEquals(4, r.view(List.of(live)).length);
    }

    @Test
    void orderingCountsPairsInThePapersOrderAndKendallTau() {
        Table o = RecordedResults.of(TABLE3, FIXTURES.resolve("seq")).ordering();
        assertEquals(2, o.rowCount());
        // HR@10: paper MCLRec 0.0871 > DuoRec 0.0825 > SASRec 0.0624; recorded MCLRec 0.090 > SASRec 0.065 > DuoRec 0.052
        Table hr = o.where(o.stringColumn("metric").isEqualTo("HR@10"));
        assertEquals("MCLRec > DuoRec > SASRec", hr.stringColumn("paper's order").get(0));
        assertEquals("MCLRec > SASRec > DuoRec", hr.stringColumn("recorded order").get(0));
        assertEquals("2 of 3", hr.stringColumn("pairs in the paper's order").get(0));
        assertEquals(0.333, hr.doubleColumn("Kendall tau").get(0), 1e-12);
        assertEquals("no", hr.stringColumn("paper's order holds").get(0));
        assertEquals("DuoRec < SASRec", hr.stringColumn("reversed pairs").get(0),
                "|0.065 - 0.052| is inside the two intervals: not beyond the seed spread");
        Table nd = o.where(o.stringColumn("metric").isEqualTo("NDCG@10"));
        assertEquals("yes", nd.stringColumn("paper's order holds").get(0));
        assertEquals(1.0, nd.doubleColumn("Kendall tau").get(0), 0);
        assertEquals("none", nd.stringColumn("reversed pairs").get(0));
    }

    @Test
    void orderClosedForms() {
        List<String> n = List.of("A", "B", "C", "D");
        double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        // paper A > B > C > D; recorded D > B > C > A: only (B, C) keeps its order -> C 1, D 5, tau -4/6
        RecordedResults.Order o = RecordedResults.order(n, new double[] {4, 3, 2, 1}, new double[] {1, 3, 2, 4}, nan);
        assertEquals(6, o.pairs());
        assertEquals(1, o.concordant());
        assertEquals(5, o.reversed());
        assertEquals(-4.0 / 6, o.tau(), 1e-15);
        assertFalse(o.holds());
        assertTrue(o.reversedText().endsWith("(1 seed: spread not judged)"));
        // a paper tie is no pair; a recorded tie is neither in order nor reversed
        o = RecordedResults.order(List.of("A", "B", "C"), new double[] {2, 2, 1}, new double[] {5, 4, 4}, new double[3]);
        assertEquals(2, o.pairs());
        assertEquals(1, o.concordant());
        assertEquals(0, o.reversed());
        assertEquals(0.5, o.tau(), 0);
        assertFalse(o.holds());
        // identical order holds; a reversal wider than both intervals is beyond the seed spread
        assertTrue(RecordedResults.order(List.of("A", "B"), new double[] {2, 1}, new double[] {0.3, 0.1},
                new double[] {0.01, 0.01}).holds());
        o = RecordedResults.order(List.of("A", "B"), new double[] {2, 1}, new double[] {0.1, 0.3},
                new double[] {0.05, 0.05});
        assertEquals(List.of("A < B (beyond the seed spread)"), o.reversedPairs());
        assertEquals(-1.0, o.tau(), 0);
        o = RecordedResults.order(List.of("A"), new double[] {1}, new double[] {1}, new double[] {0});
        assertEquals(0, o.pairs());
        assertTrue(Double.isNaN(o.tau()));
        assertTrue(o.verdict().startsWith("n/a"));
        assertEquals(4.2, Comparison.relativePct(0.065, 0.0624), 0);
        assertEquals(-37.0, Comparison.relativePct(0.052, 0.0825), 0);
        assertEquals("1 h 19 min", RecordedResults.duration(4792.2));
        assertEquals("4 min 19 s", RecordedResults.duration(258.8));
        assertEquals("42 s", RecordedResults.duration(42));
    }

    @Test
    void headlineGainOfACfRunWithPairedIntervals() {
        RecordedResults r = RecordedResults.of(HEADLINE, FIXTURES.resolve("cf"));
        RecordedResults.Experiment e = r.experiments().get(0);
        assertEquals("advinfonce/coat-mf", e.name());
        assertEquals(List.of("Pop", "MF+InfoNCE", "MF+AdvInfoNCE"), e.models());
        assertEquals(List.of(101L, 102L, 103L, 104L, 105L), e.seeds());
        assertEquals("seeds 103, 104, 105 (no metrics yet)", RecordedResults.missing(e, "coat"));
        Table c = r.comparison();
        assertEquals(4, c.rowCount(), "2 test splits x 2 metrics for the MF backbone");
        Table rec = c.where(c.stringColumn("split").isEqualTo("test_id").and(c.stringColumn("metric")
                .isEqualTo("Recall@20")));
        // InfoNCE 0.25, 0.27 (mean 0.26); AdvInfoNCE 0.26, 0.29 (mean 0.275): gain 100 * 0.015 / 0.26 = 5.77 %
        assertEquals("MF", rec.stringColumn("backbone").get(0));
        assertEquals(5.8, rec.doubleColumn("recorded gain %").get(0), 1e-12);
        assertEquals(2, rec.intColumn("paired seeds").get(0));
        // paired differences 0.01, 0.02: mean 0.015, half-width t_1 * 0.005
        double lo = 100 * (0.015 - T1 * 0.005) / 0.26;
        double hi = 100 * (0.015 + T1 * 0.005) / 0.26;
        assertEquals(String.format(java.util.Locale.ROOT, "[%+.1f, %+.1f]", lo, hi),
                rec.stringColumn("gain 95% CI (paired over seeds)").get(0));
        assertEquals(21.9, rec.doubleColumn("paper gain % (up to)").get(0), 1e-12);
        assertEquals(-16.1, rec.doubleColumn("recorded - paper (points)").get(0), 1e-12);
        Table o = r.ordering();
        assertEquals("yes", o.where(o.stringColumn("split").isEqualTo("test_id").and(o.stringColumn("metric")
                .isEqualTo("Recall@20"))).stringColumn("paper's order holds").get(0));
        Table nd = o.where(o.stringColumn("split").isEqualTo("test_id").and(o.stringColumn("metric")
                .isEqualTo("NDCG@20")));
        assertEquals("no", nd.stringColumn("paper's order holds").get(0), "NDCG 0.175 < 0.185");
        assertTrue(nd.stringColumn("beyond the seed spread").get(0).startsWith("yes"),
                "both seeds differ by exactly -0.01: a zero-width paired interval that excludes 0");
        assertTrue(o.where(o.stringColumn("split").isEqualTo("test_id").and(o.stringColumn("metric")
                .isEqualTo("Recall@20"))).stringColumn("beyond the seed spread").get(0).startsWith("no"),
                "differences 0.01 and 0.02: the interval 0.015 ± t_1 * 0.005 includes 0");
        String msg = r.message();
        assertTrue(msg.contains("commit d295152+dirty (seed 101), 6ef7d59 (seed 102)"), msg);
        assertTrue(msg.contains("protocol advinfonce protocol: history NEG_INF"), msg);
        assertTrue(msg.contains("min epochs 100"), msg);
    }

    @Test
    void theRecordedCoatRunMatchesItsOwnSeedsSummary() throws IOException {
        Path root = Path.of(RecordedResults.RESULTS_DIR);
        RecordedResults.Experiment e = RecordedResults.read(root, "advinfonce/coat-mf");
        Path summary = root.resolve("advinfonce/coat-mf/coat/seeds-summary.csv");
        List<String> lines = Files.readAllLines(summary);
        int checked = 0;
        String split = null;
        for (String l : lines) {
            if (l.startsWith("# ")) {
                split = l.substring(l.indexOf("coat ") + 5, l.indexOf(", mean"));
                continue;
            }
            if (l.startsWith("model,")) {
                continue;
            }
            String[] f = l.split(",");
            Stats.Summary s = RecordedResults.summary(e, "coat", f[0], split, "Recall@20");
            assertEquals(Integer.parseInt(f[1]), s.n(), l);
            assertEquals(Double.parseDouble(f[5]), s.mean(), 1e-12, l);
            assertEquals(Double.parseDouble(f[6]), s.halfWidth(), 1e-12, l);
            checked++;
        }
        assertTrue(checked >= 9, "every model of every split");
    }

    @Test
    void saysPlainlyWhenNothingIsRecorded() throws IOException {
        RecordedResults none = RecordedResults.none("Meta-SGCL Fig. 3");
        assertFalse(none.exists());
        assertEquals(1, none.view().length);
        assertTrue(none.message().startsWith("No full-budget run of Meta-SGCL Fig. 3 has been recorded"),
                none.message());
        assertEquals(0, none.comparison().rowCount());
        assertEquals(0, none.ordering().rowCount());
        assertEquals(0, none.provenance().rowCount());

        String empty = RecordedResults.of(TABLE3, tmp).message();
        assertTrue(empty.startsWith("No full-budget run of MCLRec Table 3 has been recorded yet"), empty);
        assertTrue(empty.contains("'mclrec/table3-*'"), empty);

        String missingRoot = RecordedResults.of(TABLE3, tmp.resolve("nowhere")).message();
        assertTrue(missingRoot.contains("does not exist"), missingRoot);

        // the experiment file is there, the run is under way: no seed has metrics yet
        Files.createDirectories(tmp.resolve("mclrec/table3-beauty/beauty/seed-2020/checkpoints"));
        Files.copy(FIXTURES.resolve("seq/mclrec/table3-beauty.yaml"), tmp.resolve("mclrec/table3-beauty.yaml"));
        RecordedResults running = RecordedResults.of(TABLE3, tmp);
        assertFalse(running.exists());
        String m = running.message();
        assertTrue(m.startsWith("No full-budget run of MCLRec Table 3 has finished a seed yet"), m);
        assertTrue(m.contains("experiment file notebooks/results/mclrec/table3-beauty.yaml (beauty; Pop, SASRec, "
                + "CL4SRec, DuoRec, MCLRec; seeds 2020, 2021, 2022), no seed recorded yet (1 seed directory without "
                + "metrics.csv: run in progress)"), m);
        assertEquals(1, running.view().length);
    }

    @Test
    void everyRecipeNamesItsRecordedExperimentOrNone() {
        for (Recipe r : Recipes.all()) {
            RecordedResults rr = r.recordedResults();
            assertFalse(rr.message().isBlank(), r.notebook());
            if (r.recorded() == null) {
                assertTrue(rr.message().startsWith("No full-budget run of "), rr.message());
                assertFalse(rr.message().contains("ContrastVAE ContrastVAE"), rr.message());
            }
        }
        assertEquals("mclrec/table3-*", Recipes.MCLREC_TABLE3.recorded().experiments());
        assertEquals("advinfonce/*", Recipes.ADVINFONCE.recorded().experiments());
        assertTrue(Recipes.ADVINFONCE.recordedResults().exists(), "the Coat MF run is in notebooks/results");
        assertNull(Recipes.METASGCL_FIG3.recorded());
    }

    /** Table II's L_cl row (issue 12 item 6) is compared with the paper's Meta-SGCL row, and not ordered against FULL. */
    @Test
    void aVariantOfThePapersMethodIsComparedWithThePapersRow() throws IOException {
        Path seed = tmp.resolve("metasgcl/table2-toys/toys/seed-2020");
        Files.createDirectories(seed);
        Files.writeString(seed.resolve("metrics.csv"), "model,split,metric,k,value\nPop,test,HR,10,0.009\n"
                + "Meta-SGCL,test,HR,10,0.0248\n\"Meta-SGCL (stage 2 on L_cl)\",test,HR,10,0.0300\n");
        Files.writeString(seed.resolve("provenance.csv"), "key,value\nseed,2020\nbudget,full\n");
        RecordedResults r = RecordedResults.of(io.seqcl.experiment.recipe.Recipes.METASGCL_TABLE2.recorded(), tmp);
        Table c = r.comparison();
        Table cl = c.where(c.stringColumn("model").isEqualTo("Meta-SGCL (stage 2 on L_cl)"));
        assertEquals(1, cl.rowCount(), c.print());
        assertEquals(0.0907, cl.doubleColumn("paper").get(0), 0, "the paper's Meta-SGCL HR@10 on Toys");
        assertEquals(Comparison.relativePct(0.03, 0.0907), cl.doubleColumn("diff_pct").get(0), 1e-12);
        Table o = r.ordering();
        assertEquals("2 of 2", o.stringColumn("pairs in the paper's order").get(0),
                "Pop below each Meta-SGCL row (2 pairs); the two Meta-SGCL rows share the paper's value: no pair");
    }

    @Test
    void malformedFilesNameTheFileAndLine() throws IOException {
        Path seed = tmp.resolve("mclrec/table3-beauty/beauty/seed-2020");
        Files.createDirectories(seed);
        Path m = seed.resolve("metrics.csv");
        Map<String, String> cases = Map.of(
                "model,split,metric,k,value\nPop,test,HR,10,0.1\nPop,test,NDCG,10\n",
                "metrics.csv:3: expected 5 fields",
                "model,split,metric,k,value\nPop,test,HR,10,zero\n", "metrics.csv:2: value 'zero' is not a number",
                "model,split,metric,k\nPop,test,HR,10\n", "metrics.csv:1: header",
                "model,split,metric,k,value\nPop,test,HR,10,0.1\nPop,test,HR,10,0.2\n",
                "metrics.csv:3: duplicate row for Pop, test, HR@10",
                "model,split,metric,k,value\nPop,test,HR,ten,0.1\n", "metrics.csv:2: k 'ten'",
                "", "metrics.csv:1: empty file",
                "model,split,metric,value,seed\nPop,test,HR@10,0.1,2021\n", "metrics.csv:2: seed 2021 in a seed-2020");
        for (var c : cases.entrySet()) {
            Files.writeString(m, c.getKey());
            var ex = assertThrows(DataFormatException.class, () -> RecordedResults.of(TABLE3, tmp), c.getKey());
            assertTrue(ex.getMessage().contains(c.getValue()), ex.getMessage());
            assertTrue(ex.getMessage().startsWith(m.toString()), ex.getMessage());
        }
        Files.writeString(m, "model,split,metric,k,value\nPop,test,HR,10,0.1\n");
        Path p = seed.resolve("provenance.csv");
        Files.writeString(p, "key,value\nseed,2020\nbudget,full\ntrain.config,\"TrainConfig[epochs=100\n");
        var ex = assertThrows(DataFormatException.class, () -> RecordedResults.of(TABLE3, tmp));
        assertEquals(p + ":4: unterminated quoted field", ex.getMessage());
        Files.writeString(p, "key,value\nseed,2020,extra\n");
        ex = assertThrows(DataFormatException.class, () -> RecordedResults.of(TABLE3, tmp));
        assertEquals(p + ":2: expected 2 fields (key, value), got 3", ex.getMessage());
        Files.writeString(p, "key,value\nseed,2020\n");
        Files.writeString(tmp.resolve("mclrec/table3-beauty.yaml"), "name: x\nseeds: [2020, two]\n");
        ex = assertThrows(DataFormatException.class, () -> RecordedResults.of(TABLE3, tmp));
        assertTrue(ex.getMessage().contains("table3-beauty.yaml: seeds: 'two'"), ex.getMessage());
    }

    @Test
    void aCfFileWithoutSeedsUsesTheReadmeSeedAndTheDisplaySpellingOfInfoNCExk() throws IOException {
        Files.createDirectories(tmp.resolve("advinfonce"));
        Files.writeString(tmp.resolve("advinfonce/yahoo-mf.yaml"),
                "kind: cf\nname: y\ndatasets: [yahoo]\nmodels: [Pop, MF+InfoNCExk]\n");
        RecordedResults.Experiment e = RecordedResults.read(tmp, "advinfonce/yahoo-mf");
        assertEquals(List.of(101L), e.seeds());
        assertEquals(List.of("Pop", "MF+InfoNCE×k"), e.models());
        assertEquals(List.of("advinfonce/yahoo-mf"), RecordedResults.of(HEADLINE, tmp).experiments().stream()
                .map(RecordedResults.Experiment::name).toList());
    }

    @Test
    void quotedFieldsAreSplitAsCsv() {
        assertEquals(List.of("a", "b,c", "d\"e", ""), RecordedResults.fields(Path.of("f"), 1, "a,\"b,c\",\"d\"\"e\","));
        try (Stream<Path> s = Stream.of(FIXTURES.resolve("seq/mclrec/table3-beauty/beauty/seed-2020/provenance.csv"))) {
            Map<String, String> p = RecordedResults.readProvenance(s.findFirst().orElseThrow());
            assertTrue(p.get("train.config").startsWith("TrainConfig[epochs=100, batchSize=256"));
        }
    }
}
