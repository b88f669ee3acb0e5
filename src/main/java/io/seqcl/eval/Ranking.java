package io.seqcl.eval;

import java.util.Arrays;

/**
 * The one ranking core of seqcl: 1-based ranks of target items among candidates with pessimistic ties
 * (common.md section 5), used by {@link RankingEvaluator} (one target per user) and by the collaborative-filtering
 * evaluator {@code io.seqcl.cf.CfEvaluator} (several test positives per user, advinfonce.md §6).
 *
 * <p>Pessimistic ties: a target tied with non-target candidates is placed after all of them, so a model that gives
 * every item the same score ranks every target last. With several targets the ranks form one ranked list: target
 * {@code g} has rank {@code 1 + #{non-target candidates j : s_j >= s_g} + #{targets h ranked above g}}, where the
 * targets are ordered by descending score (targets tied with each other take consecutive ranks after the tied
 * non-targets, in any order; Recall, HR and NDCG do not depend on that order). With one target this is
 * {@code 1 + #{candidates j != g : s_j >= s_g}}. A NaN score of a non-target never ranks above a target; a target
 * with a NaN score ranks below every non-target candidate.
 *
 * <p>Deviation from the reference codes: the AdvInfoNCE code (and the former CfEvaluator) takes a top-K by
 * {@code torch.topk}, whose tie order is unspecified; seqcl ranks ties pessimistically everywhere.
 */
public final class Ranking {

    private Ranking() {
    }

    /**
     * Pessimistic rank of one target among the candidates {@code from..to-1} of a score row.
     *
     * @param scores flat scores
     * @param offset index of item 0 of the row
     * @param from first candidate item id
     * @param to one past the last candidate item id
     * @param target the target item id
     * @return {@code 1 + #{j in from..to-1, j != target : score_j >= score_target}}
     */
    public static int rank(float[] scores, int offset, int from, int to, int target) {
        float g = scores[offset + target];
        int above = 0;
        for (int j = from; j < to; j++) {
            if (j != target && scores[offset + j] >= g) {
                above++;
            }
        }
        return above + 1;
    }

    /**
     * Pessimistic ranks of several targets in one ranked list of candidates.
     *
     * @param scores scores of items {@code 0..scores.length-1}
     * @param excluded items that are not candidates ({@code null}: every item is a candidate); targets must not be
     *                 excluded
     * @param targets distinct target item ids
     * @return the rank of each target, in the order of {@code targets}
     * @throws IllegalArgumentException if a target is excluded or repeated
     */
    public static int[] ranks(float[] scores, boolean[] excluded, int[] targets) {
        int n = targets.length;
        int[] ranks = new int[n];
        if (n == 0) {
            return ranks;
        }
        boolean[] isTarget = new boolean[scores.length];
        for (int t : targets) {
            if (excluded != null && excluded[t]) {
                throw new IllegalArgumentException("target item " + t + " is excluded from the candidates");
            }
            if (isTarget[t]) {
                throw new IllegalArgumentException("target item " + t + " is repeated");
            }
            isTarget[t] = true;
        }
        // targets by descending score (ties by position in targets; NaN last)
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(key(scores[targets[b]]), key(scores[targets[a]])));
        for (int pos = 0; pos < n; pos++) {
            int t = targets[order[pos]];
            float g = scores[t];
            int above = 0;
            boolean nan = Float.isNaN(g);
            for (int j = 0; j < scores.length; j++) {
                if (!isTarget[j] && (excluded == null || !excluded[j]) && (nan || scores[j] >= g)) {
                    above++;
                }
            }
            ranks[order[pos]] = 1 + above + pos;
        }
        return ranks;
    }

    private static float key(float v) {
        return Float.isNaN(v) ? Float.NEGATIVE_INFINITY : v;
    }
}
