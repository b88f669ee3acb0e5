package io.seqcl.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqcl.eval.HistoryMode;
import io.seqcl.eval.MetricKey;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A paper's evaluation and model-selection protocol as data (../shared/specs/common.md sections 4 to 6 and each
 * paper's spec), so that notebooks, experiment files and {@code seqcl run} evaluate a paper's models the way the
 * paper did, and the protocol is written into provenance and table headings.
 *
 * <p>The values per paper ({@link #of(PaperSettings.Paper)}):
 * <ul>
 * <li>MCLRec (Qin et al., SIGIR'23) and its RecBole-based rows (SASRec, CL4SRec, DuoRec): history {@code NONE},
 *     right padding, prefix samples, T = 50, candidates ids 1..N, valid MRR@10, stop on the 11th non-improving
 *     validation (RecBole {@code stopping_step} 10), at most 100 epochs, k 5, 10, 20 (mclrec.md section 1).</li>
 * <li>ContrastVAE (Wang et al., CIKM'22) and the CoSeRec family (CoSeRec, ICLRec, SRMA): history {@code ZERO},
 *     left padding, all-positions samples, T = 50 (ContrastVAE: 100 on Office, Tools, Toys), valid HR@10 and
 *     NDCG@10, patience 200, at most 400 epochs, k 1, 5, 10, 15, 20, 40 (contrastvae.md section 5).</li>
 * <li>AdvInfoNCE (Zhang et al., NeurIPS'23): its own candidate rule (valid excludes training items, each test
 *     split excludes train, valid and the other test splits minus its own positives, at minus infinity),
 *     user draws, valid Recall@20 every 5 epochs, patience 10 validations, at most 2000 epochs, k 20
 *     (advinfonce.md section 6).</li>
 * <li>Meta-SGCL (Hao et al., 2023): history {@code NEG_INF} (our documented choice: the paper does not say),
 *     left padding, all-positions samples, T = 50 (200 on ML-1M), valid NDCG@10 with ties broken by HR@10,
 *     patience 100, at most 1000 epochs, k 5, 10 (metasgcl.md section 1).</li>
 * </ul>
 *
 * <p>Padding, samples and T describe the paper's own code and model. The evaluation settings (history, candidates,
 * monitor, patience, epochs, k, T) apply to every model of an experiment; padding and sample convention do not:
 * each model keeps its configured input (a baseline its lineage's, e.g. SASRec, DuoRec and GRU4Rec RecBole's prefix
 * samples with right padding, Caser its last L items; baselines.md section 1.1), and the runner records what each
 * model was given as {@code input.<model>} in provenance.
 *
 * <p>Deviations of seqcl from a paper's protocol are stated in {@link #deviations}: seqcl never scores the padding
 * row 0 or a mask row (ContrastVAE's code does), ranks ties pessimistically (RecBole and numpy use
 * implementation-defined top-k order), and selects ContrastVAE's checkpoint on NDCG@10 with HR@10 as tie break
 * instead of ContrastVAE's "either of HR@10, NDCG@10 improved" rule.
 *
 * @param paper the paper's key, e.g. "mclrec"
 * @param history what evaluation does with history items
 * @param padding padding side of the paper's code (null for non-sequential CF)
 * @param samples how the paper's code forms training samples
 * @param maxLen the maximum sequence length T (0 for non-sequential CF)
 * @param maxLenByDataset T per benchmark key where it differs from {@code maxLen} (e.g. ml-1m: 200)
 * @param candidates which ids are ranked
 * @param monitor the validation metric of early stopping and model selection, e.g. "MRR@10" (for sequential
 *     protocols a {@link MetricKey}; AdvInfoNCE: "Recall@20")
 * @param tieBreak the metric that breaks exact ties of {@code monitor} (null: none)
 * @param stopRule the paper's improvement rule
 * @param patience validations without improvement after which training stops (seqcl's count: RecBole's
 *     {@code stopping_step} 10 stops at the 11th, so 11)
 * @param maxEpochs the maximum number of epochs
 * @param evalEvery validation every this many epochs
 * @param ks the cut-offs the paper reports
 * @param rankTies how seqcl ranks exact score ties
 * @param deviations what seqcl does differently from the paper's code, or "none"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaperProtocol(String paper, HistoryMode history, Padding padding, Samples samples, int maxLen,
                            Map<String, Integer> maxLenByDataset, Candidates candidates, String monitor,
                            String tieBreak, StopRule stopRule, int patience, int maxEpochs, int evalEvery,
                            List<Integer> ks, RankTies rankTies, String deviations) {

    /** How training samples are formed (common.md section 3). */
    public enum Samples {
        /** RecBole prefix expansion, loss on the last position (section 3.1). */
        PREFIX,
        /** One sample per user, a loss at every position (section 3.2). */
        ALL_POSITIONS,
        /** Non-sequential CF: |R| user draws per epoch, a uniform positive and N negatives each (section 3.3). */
        USER_DRAWS;

        /** @return the sequential sample mode, or null for {@link #USER_DRAWS} */
        public SampleMode sampleMode() {
            return switch (this) {
                case PREFIX -> SampleMode.PREFIX;
                case ALL_POSITIONS -> SampleMode.ALL_POSITIONS;
                case USER_DRAWS -> null;
            };
        }
    }

    /** Which ids are ranked (common.md section 5). */
    public enum Candidates {
        /** All items 1..N; padding id 0 and any mask id removed (RecBole, Meta-SGCL). */
        ITEMS,
        /** All embedding rows including padding 0 and mask N+1 (ContrastVAE / CoSeRec code). */
        ALL_ROWS,
        /** AdvInfoNCE: valid excludes training items; a test split excludes train, valid and other test splits
         * minus its own positives. */
        ADVINFONCE_DUMP
    }

    /** When a validation counts as an improvement (common.md section 6). */
    public enum StopRule {
        /** The monitored metric is strictly higher than the best (RecBole, AdvInfoNCE). */
        STRICT,
        /** Strictly higher, or equal with a strictly higher tie-break metric (Meta-SGCL, our choice). */
        STRICT_WITH_TIE_BREAK,
        /** Either of HR@10 and NDCG@10 is higher than the stored best vector (ContrastVAE code). */
        ANY_OF_HR10_NDCG10
    }

    /** How exact score ties are ranked. */
    public enum RankTies {
        /** A tie counts against the target (common.md section 5.1, seqcl's choice). */
        PESSIMISTIC,
        /** Ties broken by item id (AdvInfoNCE's top-k in seqcl's CF evaluator). */
        BY_ITEM_ID
    }

    /** Validates every field, naming the one that is wrong. */
    public PaperProtocol {
        if (paper == null || paper.isBlank()) {
            throw new IllegalArgumentException("protocol: 'paper' must be set");
        }
        if (history == null || samples == null || candidates == null || monitor == null || stopRule == null
                || rankTies == null) {
            throw new IllegalArgumentException("protocol " + paper + ": history, samples, candidates, monitor, "
                    + "stopRule and rankTies must be set");
        }
        if (samples != Samples.USER_DRAWS && (padding == null || maxLen < 1)) {
            throw new IllegalArgumentException("protocol " + paper + ": a sequential protocol needs a padding side "
                    + "and maxLen >= 1, got " + padding + " and " + maxLen);
        }
        if (maxLen < 0) {
            throw new IllegalArgumentException("protocol " + paper + ": maxLen must be >= 0, got " + maxLen);
        }
        maxLenByDataset = maxLenByDataset == null ? Map.of() : Map.copyOf(new TreeMap<>(maxLenByDataset));
        maxLenByDataset.forEach((k, v) -> {
            if (v == null || v < 1) {
                throw new IllegalArgumentException("protocol " + paper + ": maxLenByDataset." + k + " must be >= 1, got "
                        + v);
            }
        });
        if (patience < 1) {
            throw new IllegalArgumentException("protocol " + paper + ": patience must be >= 1, got " + patience);
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("protocol " + paper + ": maxEpochs must be >= 1, got " + maxEpochs);
        }
        if (evalEvery < 1) {
            throw new IllegalArgumentException("protocol " + paper + ": evalEvery must be >= 1, got " + evalEvery);
        }
        if (ks == null || ks.isEmpty() || ks.stream().anyMatch(k -> k == null || k < 1)) {
            throw new IllegalArgumentException("protocol " + paper + ": ks must hold at least one cut-off >= 1, got "
                    + ks);
        }
        ks = List.copyOf(new java.util.TreeSet<>(ks));
        if (stopRule == StopRule.STRICT_WITH_TIE_BREAK && tieBreak == null) {
            throw new IllegalArgumentException("protocol " + paper + ": stopRule STRICT_WITH_TIE_BREAK needs a "
                    + "tieBreak metric, e.g. HR@10");
        }
        if (samples != Samples.USER_DRAWS) {
            monitor = metric(paper, "monitor", monitor).toString();
            tieBreak = tieBreak == null ? null : metric(paper, "tieBreak", tieBreak).toString();
        }
        if (tieBreak != null && tieBreak.equalsIgnoreCase(monitor)) {
            throw new IllegalArgumentException("protocol " + paper + ": tieBreak must differ from monitor " + monitor);
        }
        deviations = deviations == null || deviations.isBlank() ? "none" : deviations;
    }

    private static MetricKey metric(String paper, String field, String text) {
        try {
            return MetricKey.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("protocol " + paper + ": " + field + ": " + e.getMessage(), e);
        }
    }

    /** @return the monitored metric of a sequential protocol */
    public MetricKey monitorKey() {
        return MetricKey.parse(monitor);
    }

    /** @return the tie-break metric of a sequential protocol, or null */
    public MetricKey tieBreakKey() {
        return tieBreak == null ? null : MetricKey.parse(tieBreak);
    }

    private static final String PESSIMISTIC_NOTE = "ties ranked pessimistically (the code: top-k order)";

    /**
     * The protocol of a paper.
     *
     * @param paper the paper
     * @return its protocol
     */
    public static PaperProtocol of(PaperSettings.Paper paper) {
        return switch (paper) {
            case MCLREC -> new PaperProtocol("mclrec", HistoryMode.NONE, Padding.RIGHT, Samples.PREFIX, 50, Map.of(),
                    Candidates.ITEMS, "MRR@10", null, StopRule.STRICT, 11, 100, 1,
                    List.of(5, 10, 20), RankTies.PESSIMISTIC, PESSIMISTIC_NOTE);
            case METASGCL -> new PaperProtocol("metasgcl", HistoryMode.NEG_INF, Padding.LEFT, Samples.ALL_POSITIONS, 50,
                    Map.of("ml-1m", 200), Candidates.ITEMS, "NDCG@10", "HR@10",
                    StopRule.STRICT_WITH_TIE_BREAK, 100, 1000, 1, List.of(5, 10), RankTies.PESSIMISTIC,
                    "history exclusion, monitor, tie break and max epochs are our documented choices (not stated in "
                            + "the paper); " + PESSIMISTIC_NOTE);
            case CONTRASTVAE -> new PaperProtocol("contrastvae", HistoryMode.ZERO, Padding.LEFT,
                    Samples.ALL_POSITIONS, 50, Map.of("office", 100, "tools", 100, "toys", 100), Candidates.ALL_ROWS,
                    "NDCG@10", "HR@10", StopRule.ANY_OF_HR10_NDCG10, 200, 400, 1,
                    List.of(1, 5, 10, 15, 20, 40), RankTies.PESSIMISTIC, "seqcl ranks ids 1..N only (the code also "
                            + "scores padding row 0 and mask row N+1); selection on NDCG@10 with HR@10 breaking ties "
                            + "(the code: either metric improved); " + PESSIMISTIC_NOTE);
            case COSEREC -> new PaperProtocol("coserec", HistoryMode.ZERO, Padding.LEFT, Samples.ALL_POSITIONS, 50,
                    Map.of(), Candidates.ALL_ROWS, "NDCG@20", null, StopRule.STRICT, 40, 300, 1, List.of(5, 10, 20),
                    RankTies.PESSIMISTIC, "CoSeRec family (CoSeRec, ICLRec, SRMA; baselines.md section 1.2): Adam 1e-3, "
                            + "batch 256, seed 1 in the code; seqcl ranks ids 1..N only; " + PESSIMISTIC_NOTE);
            case ADVINFONCE -> new PaperProtocol("advinfonce", HistoryMode.NEG_INF, null, Samples.USER_DRAWS, 0,
                    Map.of(), Candidates.ADVINFONCE_DUMP, "Recall@20", null, StopRule.STRICT, 10,
                    2000, 5, List.of(20), RankTies.BY_ITEM_ID, "optional minimum epochs before early stopping and "
                            + "optional removal of test positives that are training items (issue 12 item 7)");
        };
    }

    /**
     * T for a dataset: {@link #maxLenByDataset} if it names the key, else {@link #maxLen}.
     *
     * @param datasetKey benchmark key, e.g. "ml-1m" (null: the default)
     * @return T
     */
    public int maxLenFor(String datasetKey) {
        return datasetKey == null ? maxLen : maxLenByDataset.getOrDefault(datasetKey, maxLen);
    }

    /** @return whether the protocol is for sequential models (not the CF protocol of AdvInfoNCE) */
    public boolean sequential() {
        return samples != Samples.USER_DRAWS;
    }

    /**
     * One line for table headings and provenance, e.g.
     * {@code mclrec protocol: history NONE, RIGHT padding, PREFIX samples, T 50, ...}.
     *
     * @return the line
     */
    public String line() {
        StringBuilder b = new StringBuilder(paper).append(" protocol: history ").append(history);
        if (sequential()) {
            b.append(", ").append(io.seqcl.model.InputSpec.words(padding, samples)).append(", T ").append(maxLen);
            maxLenByDataset.forEach((k, v) -> b.append(" (").append(k).append(' ').append(v).append(')'));
        } else {
            b.append(", user-draw samples");
        }
        b.append(", candidates ").append(candidates.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .append(", valid ").append(monitor);
        if (tieBreak != null) {
            b.append(" (ties: ").append(tieBreak).append(')');
        }
        b.append(", patience ").append(patience);
        if (evalEvery > 1) {
            b.append(" validations (every ").append(evalEvery).append(" epochs)");
        }
        b.append(", max ").append(maxEpochs).append(" epochs, k ").append(ks);
        return b.toString();
    }

    /** @return the protocol as provenance entries (keys {@code protocol.*}) */
    public Map<String, String> provenance() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("protocol", paper);
        m.put("protocol.history", history.name());
        m.put("protocol.padding", padding == null ? "n/a" : padding.name());
        m.put("protocol.samples", samples.name());
        m.put("protocol.maxLen", maxLen + (maxLenByDataset.isEmpty() ? "" : " " + maxLenByDataset));
        m.put("protocol.candidates", candidates.name());
        m.put("protocol.monitor", monitor);
        m.put("protocol.tieBreak", tieBreak == null ? "none" : tieBreak);
        m.put("protocol.stopRule", stopRule.name());
        m.put("protocol.patience", String.valueOf(patience));
        m.put("protocol.maxEpochs", String.valueOf(maxEpochs));
        m.put("protocol.evalEvery", String.valueOf(evalEvery));
        m.put("protocol.ks", ks.toString());
        m.put("protocol.rankTies", rankTies.name());
        m.put("protocol.deviations", deviations);
        return m;
    }

    /**
     * The sequential paper protocol whose evaluation settings (history mode, monitor, tie break) a training
     * configuration uses, in the order MCLRec, Meta-SGCL, ContrastVAE (ContrastVAE and the CoSeRec family share
     * them).
     *
     * @param t the training configuration
     * @return the protocol, or empty for settings of no paper
     */
    public static java.util.Optional<PaperProtocol> matching(io.seqcl.train.TrainConfig t) {
        for (PaperSettings.Paper p : List.of(PaperSettings.Paper.MCLREC, PaperSettings.Paper.METASGCL,
                PaperSettings.Paper.CONTRASTVAE)) {
            PaperProtocol pp = p.protocol();
            if (pp.history() == t.history() && pp.monitorKey().equals(t.monitor())
                    && java.util.Objects.equals(pp.tieBreakKey(), t.tieBreak())) {
                return java.util.Optional.of(pp);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * A table heading for results trained and evaluated with a configuration: the matching paper's name (or
     * "custom") and the settings that actually ran, e.g.
     * {@code mclrec protocol: history NONE, valid MRR@10, patience 11, max 100 epochs, k [5, 10, 20]}.
     *
     * @param t the training configuration
     * @return the heading
     */
    public static String heading(io.seqcl.train.TrainConfig t) {
        String name = matching(t).map(PaperProtocol::paper).orElse("custom");
        return name + " protocol: history " + t.history() + ", valid " + t.monitor()
                + (t.tieBreak() == null ? "" : " (ties: " + t.tieBreak() + ")") + ", patience " + t.patience()
                + ", max " + t.epochs() + " epochs, k " + java.util.Arrays.toString(t.ks());
    }

    /**
     * Writes the protocol into a provenance record.
     *
     * @param p the record
     * @return the record
     */
    public Provenance addTo(Provenance p) {
        provenance().forEach(p::put);
        return p;
    }
}
