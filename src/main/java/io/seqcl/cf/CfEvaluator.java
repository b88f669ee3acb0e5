package io.seqcl.cf;

import io.seqcl.eval.Ranking;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full-ranking top-K evaluation with multiple targets per user (advinfonce.md §6, common.md §5.2).
 *
 * <p>Candidates are all items except the split's excluded set: for {@code valid} the user's training items;
 * for a test split the training, validation and other test items minus the split's own positives. Metrics per
 * user with positives P and top-K list L: Recall = |L∩P|/|P|, HR = 1[|L∩P|>0], NDCG = DCG/IDCG with
 * IDCG over min(|P|, K) positions; averaged over users present in the split. The positives are ranked by the
 * shared core {@link Ranking} with pessimistic ties, as in {@link io.seqcl.eval.RankingEvaluator}: a positive
 * tied with non-positive candidates is ranked below all of them (so Pop ranks a positive below every item with
 * the same training count).
 *
 * <p>Deviation from the reference code: the AdvInfoNCE code takes {@code torch.topk}, whose order among equal
 * scores is unspecified; with continuous scores ties do not occur and the metrics agree.
 */
public final class CfEvaluator {

    /** The metrics reported. */
    public enum Metric {
        /** |L ∩ P| / |P|. */
        RECALL("Recall"),
        /** Normalised discounted cumulative gain. */
        NDCG("NDCG"),
        /** 1 if any positive is in the top K. */
        HR("HR");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        /** @return display name, e.g. "Recall" */
        public String label() {
            return label;
        }

        /**
         * @param k cut-off
         * @return e.g. "Recall@20"
         */
        public String at(int k) {
            return label + "@" + k;
        }
    }

    /** Scores all items for one user. */
    @FunctionalInterface
    public interface Scorer {
        /**
         * @param user the user
         * @param out scores of items 0..I-1 to fill
         */
        void score(int user, float[] out);
    }

    private CfEvaluator() {
    }

    /**
     * Evaluates a scorer on one split.
     *
     * @param data the dataset
     * @param split "valid" or a test split name
     * @param k cut-off
     * @param scorer the model's scores
     * @return metric to mean value over the split's users
     */
    public static Map<Metric, Double> evaluate(CfDataset data, String split, int k, Scorer scorer) {
        return evaluatePerUser(data, split, k, scorer).means();
    }

    /**
     * Per-user metric values of one split: for each user with positives in the split (in user order), Recall@K,
     * NDCG@K and HR@K, the values {@link #evaluate} averages. Paired tests over users
     * ({@link io.seqcl.experiment.Stats#paired}) compare two models on the same users with these.
     *
     * @param split the split
     * @param k the cut-off
     * @param users the users, ascending
     * @param recall Recall@K per user
     * @param ndcg NDCG@K per user
     * @param hr HR@K per user
     */
    public record PerUser(String split, int k, int[] users, double[] recall, double[] ndcg, double[] hr) {

        /** Checks that every array has one value per user. */
        public PerUser {
            if (recall.length != users.length || ndcg.length != users.length || hr.length != users.length) {
                throw new IllegalArgumentException("per-user values need one value per user: " + users.length
                        + " users, " + recall.length + "/" + ndcg.length + "/" + hr.length + " values");
            }
        }

        /**
         * @param m a metric
         * @return its per-user values, in the order of {@link #users()}
         */
        public double[] values(Metric m) {
            return switch (m) {
                case RECALL -> recall;
                case NDCG -> ndcg;
                case HR -> hr;
            };
        }

        /** @return metric to the mean over users (0 when the split has no user) */
        public Map<Metric, Double> means() {
            Map<Metric, Double> out = new LinkedHashMap<>();
            for (Metric m : Metric.values()) {
                double[] v = values(m);
                double sum = 0;
                for (double x : v) {
                    sum += x;
                }
                out.put(m, v.length == 0 ? 0 : sum / v.length);
            }
            return out;
        }
    }

    /**
     * Evaluates a scorer on one split and keeps every user's values.
     *
     * @param data the dataset
     * @param split "valid" or a test split name
     * @param k cut-off
     * @param scorer the model's scores
     * @return the per-user values
     */
    public static PerUser evaluatePerUser(CfDataset data, String split, int k, Scorer scorer) {
        int ni = data.numItems();
        float[] s = new float[ni];
        boolean[] excl = new boolean[ni];
        int n = data.numUsersIn(split);
        int[] users = new int[n];
        double[] rec = new double[n];
        double[] ndcg = new double[n];
        double[] hr = new double[n];
        int at = 0;
        boolean isValid = split.equals(CfDataset.VALID);
        for (int u = 0; u < data.numUsers(); u++) {
            int[] pos = data.split(split, u);
            if (pos.length == 0) {
                continue;
            }
            scorer.score(u, s);
            Arrays.fill(excl, false);
            for (int i : data.train(u)) {
                excl[i] = true;
            }
            if (!isValid) {
                for (String other : data.splitNames()) {
                    if (!other.equals(split)) {
                        for (int i : data.split(other, u)) {
                            excl[i] = true;
                        }
                    }
                }
            }
            for (int i : pos) {
                excl[i] = false;
            }
            int[] ranks = Ranking.ranks(s, excl, pos);
            int hits = 0;
            double dcg = 0;
            for (int r : ranks) {
                if (r <= k) {
                    hits++;
                    dcg += 1.0 / (Math.log(r + 1) / Math.log(2));
                }
            }
            double idcg = 0;
            for (int r = 0; r < Math.min(pos.length, k); r++) {
                idcg += 1.0 / (Math.log(r + 2) / Math.log(2));
            }
            users[at] = u;
            rec[at] = (double) hits / pos.length;
            hr[at] = hits > 0 ? 1 : 0;
            ndcg[at] = dcg / idcg;
            at++;
        }
        if (at != n) {
            throw new IllegalStateException("split " + split + " of " + data.name() + " counts " + n
                    + " users but " + at + " have positives");
        }
        return new PerUser(split, k, users, rec, ndcg, hr);
    }

    /**
     * A scorer from row-major embeddings {@code [U + I, d]} (users first): inner products.
     *
     * @param emb the embeddings
     * @param numUsers U
     * @param numItems I
     * @param d embedding size
     * @return the scorer
     */
    public static Scorer dot(float[] emb, int numUsers, int numItems, int d) {
        return (u, out) -> {
            int uo = u * d;
            for (int i = 0; i < numItems; i++) {
                int io = (numUsers + i) * d;
                float acc = 0;
                for (int j = 0; j < d; j++) {
                    acc += emb[uo + j] * emb[io + j];
                }
                out[i] = acc;
            }
        };
    }

    /**
     * The popularity baseline: every user gets the training interaction counts as scores.
     *
     * @param data the dataset
     * @return the scorer
     */
    public static Scorer popularity(CfDataset data) {
        long[] c = data.itemCounts();
        return (u, out) -> {
            for (int i = 0; i < out.length; i++) {
                out[i] = c[i];
            }
        };
    }
}
