package io.seqcl.cf;

import io.seqcl.experiment.Budget;
import io.seqcl.notebook.Tables;
import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.Test;

class CfQuickBench {
    @Test
    void bench() {
        ProgressListener l = new ProgressListener() {
            @Override public void onRunEnd(String run, String message) { System.out.println(run + ": " + message); }
        };
        for (String name : System.getProperty("cf.datasets", "coat,yahoo").split(",")) {
            long t = System.nanoTime();
            CfDataset d = CfDatasets.load(name);
            CfResult r = CfExperiment.run(d, CfModelSpec.paperComparison(), Budget.QUICK, 101, l);
            System.out.println(Tables.text(r.summary("test_ood"), 60));
            System.out.println(Tables.text(r.comparison(), 60));
            System.out.println(Tables.text(r.hardnessSummary(), 60));
            System.out.println(Tables.text(r.klCurves(), 200));
            System.out.println(name + " total " + (System.nanoTime() - t) / 1e9 + " s");
        }
    }
}
