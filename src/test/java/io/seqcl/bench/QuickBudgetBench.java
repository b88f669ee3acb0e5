package io.seqcl.bench;

import io.seqcl.data.SequenceDataset;
import io.seqcl.eval.Metric;
import io.seqcl.eval.MetricKey;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.ContrastVAEExperiments;
import io.seqcl.experiment.ExperimentSpec;
import io.seqcl.experiment.MCLRecExperiments;
import io.seqcl.experiment.MetaSGCLExperiments;
import io.seqcl.experiment.ModelSpec;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.experiment.RunResult;
import io.seqcl.experiment.Runner;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark command (not a test) for sizing the quick budget: runs one notebook experiment at the quick budget
 * and prints each model's test HR@10, NDCG@10 and MRR@10 next to Pop's, with its wall time.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.seqcl.bench.QuickBudgetBench table2 \
 *     [-Dmodels=pop,sasrec] [-Dusers=N] [-Depochs=E] [-Dsteps=S] [-Dbatch=B] [-Dlr=L] [-Dsweep=true]
 *     [-Ditems=K [-Dminlen=M]]
 * </pre>
 *
 * <p>Experiments: {@code table2} (Meta-SGCL Table II on Toys), {@code table3} (MCLRec Table 3 on Beauty),
 * {@code ablation} (Meta-SGCL Table III), {@code cvae} (ContrastVAE vs SASRec vs Meta-SGCL on Beauty),
 * {@code mclrec-ablation} (MCLRec Table 4). Without overrides the library's quick budget is used; the system
 * properties change the training settings and the user sample (0 = all users) for exploration only;
 * {@code -Dsweep=true} takes the smaller sample of the notebooks that train many models, {@code -Ditems=K} cuts the
 * whole dataset to its K most frequent items instead of the quick budget's cut (users with fewer than
 * {@code minlen}, default 5, dropped; all remaining users, {@code -Dusers} ignored).
 */
public final class QuickBudgetBench {

    private QuickBudgetBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args the experiment name
     */
    public static void main(String[] args) {
        String exp = args.length > 0 ? args[0] : "table2";
        long seed = Long.getLong("seed", 2020);
        boolean mclrec = exp.startsWith("table3") || exp.startsWith("mclrec");
        String dsName = System.getProperty("dataset",
                mclrec || exp.equals("cvae") ? MCLRecExperiments.QUICK_DATASET : MetaSGCLExperiments.QUICK_DATASET);
        long t0 = System.nanoTime();
        String usersProp = System.getProperty("users");
        SequenceDataset ds;
        if (System.getProperty("items") != null) { // another catalogue size than the quick budget's, all its users
            int keep = Integer.getInteger("items");
            ds = io.seqcl.data.Datasets.load(dsName).topItems(dsName + " (top " + keep + " items)",
                    keep, Integer.getInteger("minlen", 5));
        } else if (usersProp == null) {
            ds = PaperSettings.load(dsName, Budget.QUICK, seed, Boolean.getBoolean("sweep"));
        } else {
            int n = Integer.parseInt(usersProp);
            ds = PaperSettings.data(io.seqcl.data.Datasets.load(dsName), Budget.QUICK, seed,
                    n == 0 ? Integer.MAX_VALUE : n);
        }
        ExperimentSpec spec = switch (exp) {
            case "table2" -> MetaSGCLExperiments.overall(ds, Budget.QUICK, seed);
            case "table3" -> MCLRecExperiments.overall(ds, Budget.QUICK, seed);
            case "ablation" -> MetaSGCLExperiments.ablation(ds, Budget.QUICK, seed);
            case "cvae" -> ContrastVAEExperiments.compare(ds, Budget.QUICK, seed);
            case "mclrec-ablation" -> MCLRecExperiments.ablation(ds, Budget.QUICK, seed);
            default -> throw new IllegalArgumentException("unknown experiment " + exp);
        };
        String models = System.getProperty("models");
        if (models != null) {
            List<String> keep = Arrays.asList(models.split(","));
            List<ModelSpec> ms = new ArrayList<>();
            for (ModelSpec m : spec.models()) {
                if (keep.contains(m.key()) || keep.contains(m.name())) {
                    ms.add(m);
                }
            }
            spec = new ExperimentSpec(spec.name(), ms, spec.train());
        }
        TrainConfig t = spec.train();
        t = t.withEpochs(Integer.getInteger("epochs", t.epochs())).withPatience(Integer.getInteger("epochs", t.epochs()))
                .withMaxStepsPerEpoch(Integer.getInteger("steps", t.maxStepsPerEpoch()))
                .withBatchSize(Integer.getInteger("batch", t.batchSize()));
        if (System.getProperty("lr") != null) {
            t = t.withLearningRate(Double.parseDouble(System.getProperty("lr")));
        }
        spec = spec.withTrain(t);
        System.out.printf(Locale.ROOT, "%s on %s: %d users, %d items; epochs %d, steps/epoch %d, batch %d, lr %g%n",
                exp, ds.name(), ds.numUsers(), ds.numItems(), t.epochs(), t.maxStepsPerEpoch(), t.batchSize(),
                t.learningRate());
        ProgressListener quiet = new ProgressListener() {
        };
        RunResult r = Runner.run(ds, spec, quiet);
        double popHr = Double.NaN;
        double popNdcg = Double.NaN;
        double popMrr = Double.NaN;
        MetricKey hr = new MetricKey(Metric.HR, 10);
        MetricKey ndcg = new MetricKey(Metric.NDCG, 10);
        MetricKey mrr = new MetricKey(Metric.MRR, 10);
        for (TrainResult tr : r.results()) {
            if (tr.model().equalsIgnoreCase("pop")) {
                popHr = tr.test().value(hr);
                popNdcg = tr.test().value(ndcg);
                popMrr = tr.test().value(mrr);
            }
        }
        System.out.printf(Locale.ROOT, "%-28s %8s %8s %8s %9s %6s %8s%n", "model", "HR@10", "NDCG@10", "MRR@10",
                "NDCG/Pop", "best", "seconds");
        for (TrainResult tr : r.results()) {
            System.out.printf(Locale.ROOT, "%-28s %8.4f %8.4f %8.4f %9.2f %6d %8.1f%n", tr.model(),
                    tr.test().value(hr), tr.test().value(ndcg), tr.test().value(mrr),
                    tr.test().value(ndcg) / popNdcg, tr.bestEpoch(), tr.seconds());
        }
        System.out.printf(Locale.ROOT, "Pop HR@10 %.4f NDCG@10 %.4f MRR@10 %.4f; total wall %.1f s%n", popHr, popNdcg,
                popMrr, (System.nanoTime() - t0) / 1e9);
    }
}
