package io.seqcl.experiment;

import io.seqcl.checkpoint.CheckpointImport;
import io.seqcl.data.Benchmark;
import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.eval.EvalResult;
import io.seqcl.eval.HistoryMode;
import io.seqcl.eval.RankingEvaluator;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.protocol.LeaveOneOutSplit;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Evaluates checkpoints released by a paper's authors with seqcl's evaluator, beside the paper's numbers: the
 * check that seqcl's forward pass, data numbering and protocol reproduce a published row without training.
 *
 * <p>MCLRec (Qin et al., SIGIR 2023): the authors' repository ships a RecBole state dict for Amazon Beauty
 * ({@code log/Checkpoint/Amazon_Beauty/model.pth}). At inference MCLRec is exactly a SASRec encoder, so the
 * checkpoint is imported into {@link SASRec} with RecBole's defaults ({@link SASRecConfig#defaults()}: T 50, d 64,
 * 2 layers, 2 heads, GELU, eps 1e-12, right padding) and evaluated on the Beauty {@code .inter} test split (RecBole
 * item numbering) with history items not excluded ({@link HistoryMode#NONE}), the protocol of the paper's
 * RecBole-based rows. The file is a model weight and is not in the repository: {@code data/fetch.sh} says where to
 * get it; the default place is {@code $SEQCL_DATA/checkpoints/mclrec-beauty.pth} ({@code $SEQCL_CHECKPOINTS}
 * overrides the directory).
 */
public final class ImportedCheckpoints {

    /** Environment variable naming the checkpoint directory (default {@code $SEQCL_DATA/checkpoints}). */
    public static final String CHECKPOINTS_ENV = "SEQCL_CHECKPOINTS";

    /** File name of the MCLRec Beauty checkpoint in the checkpoint directory. */
    public static final String MCLREC_BEAUTY_FILE = "mclrec-beauty.pth";

    /** Where the MCLRec Beauty checkpoint comes from. */
    public static final String MCLREC_BEAUTY_SOURCE = "github.com/QinHsiu/MCLRec, file "
            + "log/Checkpoint/Amazon_Beauty/model.pth (3.5 MB, a RecBole state dict)";

    /** Metrics shown for an imported checkpoint: the paper's six and MRR@10 (RecBole's validation metric). */
    public static final List<String> METRICS = List.of("HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "NDCG@20",
            "MRR@10");

    private ImportedCheckpoints() {
    }

    /** @return {@code $SEQCL_CHECKPOINTS}, or {@code checkpoints} in the data directory when unset */
    public static Path checkpointDir() {
        String env = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_CHECKPOINTS).orElse(null);
        return env != null && !env.isBlank() ? Path.of(env) : Datasets.dataDir().resolve("checkpoints");
    }

    /** @return {@code mclrec-beauty.pth} in {@link #checkpointDir()} (it may not exist) */
    public static Path mclrecBeautyPath() {
        return checkpointDir().resolve(MCLREC_BEAUTY_FILE);
    }

    /** @return how to get the MCLRec Beauty checkpoint and the data it is evaluated on */
    public static String mclrecBeautyHowTo() {
        return "To check seqcl against the MCLRec authors' released Beauty model, download " + MCLREC_BEAUTY_SOURCE
                + " to " + mclrecBeautyPath() + " (see data/fetch.sh), and have "
                + Benchmark.BEAUTY_INTER.key() + " (Amazon_Beauty.inter) in " + Datasets.dataDir() + ".";
    }

    /**
     * Evaluates a RecBole-family SASRec checkpoint on a dataset's leave-one-out test split.
     *
     * @param checkpoint a {@code .pth} or safetensors file with RecBole names
     * @param ds the dataset it was trained on (same item numbering)
     * @param base configuration for what a state dict does not record (heads, activation, padding)
     * @param history history-item handling of the evaluator
     * @return the test result
     * @throws UncheckedIOException if the checkpoint cannot be read
     */
    public static EvalResult evaluate(Path checkpoint, SequenceDataset ds, SASRecConfig base, HistoryMode history) {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        try (SASRec model = importSasrec(checkpoint, ds, base)) {
            return evaluator(history).evaluate(model, split.test());
        }
    }

    /**
     * Imports a RecBole-family SASRec checkpoint once and evaluates it on a dataset's validation and test splits in
     * every history mode: what a released model gives under each paper's protocol, and, on the validation split
     * (the one model selection sees), how it compares with one's own training run.
     *
     * @param checkpoint a {@code .pth} or safetensors file with RecBole names
     * @param ds the dataset it was trained on (same item numbering)
     * @param base configuration for what a state dict does not record (heads, activation, padding)
     * @return one row per split (valid, test) and history mode (NONE, ZERO, NEG_INF); columns split, history and
     *     one per {@link #METRICS} entry, rounded to 4 decimals
     * @throws UncheckedIOException if the checkpoint cannot be read
     * @throws io.seqcl.checkpoint.CheckpointMismatchException if its tensors do not fit the dataset or each other
     */
    public static Table evaluateSplits(Path checkpoint, SequenceDataset ds, SASRecConfig base) {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        StringColumn splits = StringColumn.create("split");
        StringColumn modes = StringColumn.create("history");
        List<DoubleColumn> values = METRICS.stream().map(DoubleColumn::create).toList();
        try (SASRec model = importSasrec(checkpoint, ds, base)) {
            for (io.seqcl.protocol.EvalSet set : List.of(split.valid(), split.test())) {
                for (HistoryMode h : HistoryMode.values()) {
                    EvalResult r = evaluator(h).evaluate(model, set);
                    splits.append(r.split());
                    modes.append(h.name());
                    for (int i = 0; i < METRICS.size(); i++) {
                        values.get(i).append(Math.round(r.value(METRICS.get(i)) * 1e4) / 1e4);
                    }
                }
            }
        }
        Table t = Table.create(checkpoint.getFileName() + " on " + ds.name() + " (" + split.numUsers() + " users, "
                + ds.numItems() + " items)", splits, modes);
        values.forEach(t::addColumns);
        return t;
    }

    private static SASRec importSasrec(Path checkpoint, SequenceDataset ds, SASRecConfig base) {
        try {
            return CheckpointImport.recbole(checkpoint).sasrec(ds.numItems(), base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RankingEvaluator evaluator(HistoryMode history) {
        return new RankingEvaluator(history, RankingEvaluator.DEFAULT_KS, io.seqcl.train.TrainConfig.DEFAULT_EVAL_BATCH);
    }

    /**
     * Imports the MCLRec authors' Beauty checkpoint and puts seqcl's test metrics beside the paper's Table 3 MCLRec
     * row.
     *
     * @param checkpoint the authors' {@code model.pth}
     * @return columns dataset, model, metric, ours, paper, diff_pct (paper empty for MRR@10, which the paper does
     *     not report)
     */
    public static Table mclrecBeautyRow(Path checkpoint) {
        SequenceDataset ds = Datasets.load(Benchmark.BEAUTY_INTER.key());
        EvalResult r = evaluate(checkpoint, ds, SASRecConfig.defaults(), HistoryMode.NONE);
        return beside(r, HistoryMode.NONE, "mclrec", "3", "Beauty", "MCLRec", "MCLRec (authors' checkpoint)");
    }

    /**
     * The notebook cell: the table of {@link #mclrecBeautyRow} when the checkpoint and Beauty are present,
     * otherwise the text of {@link #mclrecBeautyHowTo()}.
     *
     * @return a table or a message
     */
    public static Object mclrecBeautyOrHowTo() {
        Path p = mclrecBeautyPath();
        if (!Files.isRegularFile(p) || !Datasets.isAvailable(Benchmark.BEAUTY_INTER.key())) {
            return mclrecBeautyHowTo();
        }
        return mclrecBeautyRow(p);
    }

    static Table beside(EvalResult r, HistoryMode history, String paper, String table, String dataset, String paperModel, String label) {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn model = StringColumn.create("model");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn ours = DoubleColumn.create("ours");
        DoubleColumn theirs = DoubleColumn.create("paper");
        DoubleColumn diff = DoubleColumn.create("diff_pct");
        for (String m : METRICS) {
            double v = r.value(m);
            OptionalDouble pv = PaperNumbers.value(paper, table, dataset, "", paperModel, m);
            ds.append(dataset);
            model.append(label);
            metric.append(m);
            ours.append(Math.round(v * 1e4) / 1e4);
            if (pv.isPresent()) {
                theirs.append(pv.getAsDouble());
                diff.append(Math.round(1000 * (v - pv.getAsDouble()) / pv.getAsDouble()) / 10.0);
            } else {
                theirs.appendMissing();
                diff.appendMissing();
            }
        }
        return Table.create(label + " on " + dataset + " (" + r.split() + ", history " + history + ") vs " + paper
                + " table " + table, ds, model, metric, ours, theirs, diff);
    }
}
