package io.seqcl.eval;

/**
 * A single-target ranking metric computed from the 1-based rank of the target (common.md section 5.1).
 */
public enum Metric {
    /** Hit ratio: 1 if the target is in the top k (RecBole calls it Recall@k). */
    HR {
        @Override
        public double value(int rank, int k) {
            return rank <= k ? 1.0 : 0.0;
        }
    },
    /** Normalised discounted cumulative gain with one relevant item: {@code 1/log2(rank+1)} inside the top k. */
    NDCG {
        @Override
        public double value(int rank, int k) {
            return rank <= k ? 1.0 / (Math.log(rank + 1.0) / Math.log(2.0)) : 0.0;
        }
    },
    /** Mean reciprocal rank truncated at k: {@code 1/rank} inside the top k. */
    MRR {
        @Override
        public double value(int rank, int k) {
            return rank <= k ? 1.0 / rank : 0.0;
        }
    };

    /**
     * The metric's value for one user.
     *
     * @param rank 1-based rank of the target
     * @param k cut-off
     * @return the per-user value, averaged over users by the evaluator
     */
    public abstract double value(int rank, int k);
}
