package io.seqcl.experiment;

import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.MCLRecConfig;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MCLRecExperimentsTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();

    @Test
    void specsUseThePapersNamesWeightsAndProtocol() {
        SequenceDataset sports = DATA.subset("sports (quick: 2 users)", new int[] {0, 1}).withKey("sports");
        MCLRecConfig c = MCLRecExperiments.mclrec(sports, Budget.FULL);
        assertEquals(0.04, c.lambda());
        assertEquals(0.4, c.beta());
        assertEquals(50, c.backbone().maxLen());
        assertEquals(0.05, MCLRecExperiments.mclrec(DATA.subset("beauty", new int[] {0}).withKey("beauty"), Budget.QUICK).beta());
        ExperimentSpec ab = MCLRecExperiments.ablation(sports, Budget.QUICK, 1);
        List<String> names = ab.models().stream().map(ModelSpec::name).toList();
        assertEquals(List.of("(A) MCLRec", "(B) w/o L_cl1", "(C) w/o L_cl2", "(D) w/o R", "(E) share φ1=φ2"), names);
        for (String n : names) {
            assertTrue(PaperNumbers.value("mclrec", "4", "Sports", "", n, "HR@20").isPresent(), n);
        }
        assertEquals("MRR@10", ab.train().monitor().toString());
        List<String> rows = MCLRecExperiments.overall(sports, Budget.QUICK, 1).models().stream().map(ModelSpec::name)
                .toList();
        assertEquals(List.of("Pop", "BPR", "GRU4Rec", "Caser", "SASRec", "S3-Rec", "BERT4Rec", "CoSeRec", "LMA4Rec", "ICLRec",
                "CL4SRec", "DuoRec", "SRMA", "MCLRec"), rows);
        // every measured row meets its paper row (Pop is ours, for reference)
        java.util.Set<String> paperRows = new java.util.HashSet<>(
                PaperNumbers.table("mclrec", "3").stringColumn("model").asList());
        assertTrue(paperRows.containsAll(rows.subList(1, rows.size())), paperRows + " vs " + rows);
        assertEquals(MCLRecConfig.Schedule.JOINT, ((MCLRecConfig) MCLRecExperiments.metaVsJoint(sports, Budget.QUICK,
                1).models().get(1).config()).schedule());
        ExperimentSpec lambda = MCLRecExperiments.weightSweep(sports, Budget.FULL, 1, MCLRecExperiments.Weight.LAMBDA);
        assertEquals(10, lambda.models().size());
        assertEquals("lambda=0.01", lambda.models().get(0).name());
        assertEquals(0.4, ((MCLRecConfig) lambda.models().get(0).config()).beta(), "the other weight stays");
    }

    @Test
    void groupsAndViewsRunEndToEndOnSmallData() {
        SequenceDataset small = PaperSettings.data(DATA, Budget.QUICK, 5, 120);
        Table g = MCLRecExperiments.userGroups(small, Budget.QUICK, 1, ProgressListener.NONE);
        assertEquals(4 * 3 * 2, g.rowCount(), "4 models x 3 groups x 2 metrics");
        int users = 0;
        Table sas = g.where(g.stringColumn("model").isEqualTo("SASRec").and(g.stringColumn("metric")
                .isEqualTo("HR@20")));
        for (int i = 0; i < sas.rowCount(); i++) {
            users += sas.intColumn("users").get(i);
        }
        assertEquals(120, users, "every user is in exactly one group");
        Table v = MCLRecExperiments.views(small, Budget.QUICK, 1, false, 16, ProgressListener.NONE);
        assertEquals(2 * 2 * 16, v.rowCount());
        for (int i = 0; i < 16; i++) {
            int seq = i;
            assertEquals(4, v.where(v.intColumn("sequence").isEqualTo(seq)).rowCount(),
                    "each sequence has two views in each of the two models");
        }
        assertTrue(v.name().contains("t-SNE"), v.name());
        assertEquals(java.util.Set.of("MCLRec (with R)", "MCLRec (w/o R)"), new java.util.HashSet<>(v.stringColumn("model").asList()));
    }
}
