package io.seqcl.experiment;

import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.ContrastVAEConfig;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContrastVAEExperimentsTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();

    @Test
    void comparisonUsesTheReadmeCommandPerDataset() {
        SequenceDataset toys = DATA.subset("toys (quick: 2 users)", new int[] {0, 1}).withKey("toys");
        assertEquals(ContrastVAEConfig.Variant.VARIATIONAL_AUGMENTATION,
                ContrastVAEExperiments.contrastvae(toys, Budget.FULL).variant());
        assertEquals(100, ContrastVAEExperiments.contrastvae(toys, Budget.FULL).maxLen());
        assertEquals(PaperSettings.QUICK_MAX_LEN, ContrastVAEExperiments.contrastvae(toys, Budget.QUICK).maxLen());
        assertEquals(ContrastVAEConfig.Variant.MODEL_AUGMENTATION,
                ContrastVAEExperiments.contrastvae(DATA, Budget.FULL).variant());
        assertEquals(List.of("SASRec", "ContrastVAE", "Meta-SGCL"),
                ContrastVAEExperiments.compare(toys, Budget.QUICK, 1).models().stream().map(ModelSpec::name).toList());
        assertTrue(MetaSGCLExperiments.overall(toys, Budget.QUICK, 1).models().stream()
                .anyMatch(m -> m.name().equals("ContrastVAE")), "Table II lists ContrastVAE as a baseline");
    }

    @Test
    void collapseRecordsEveryEpochForBothModelsAndGroups() {
        SequenceDataset small = PaperSettings.data(DATA, Budget.QUICK, 2, 150);
        ContrastVAEExperiments.Collapse c = ContrastVAEExperiments.collapse(small, Budget.QUICK, 1,
                ProgressListener.NONE);
        Table s = c.summary();
        int epochs = PaperSettings.QUICK_EPOCHS;
        assertEquals(2 * (epochs + 1) * 3, s.rowCount(), "2 models x (epochs + initial) x 3 groups");
        assertEquals(java.util.Set.of("with CL", "without CL"), new java.util.HashSet<>(s.stringColumn("model").asList()));
        Table last = ContrastVAEExperiments.lastEpoch(c);
        assertEquals(6, last.rowCount());
        Table all = ContrastVAEExperiments.group(s, "all");
        assertEquals(2 * (epochs + 1), all.rowCount());
        assertTrue(all.doubleColumn("kl").min() >= 0, "KL is non-negative");
        assertEquals(2, c.results().size());
    }
}
