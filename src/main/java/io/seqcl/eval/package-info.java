/**
 * Full-ranking evaluation with HR, NDCG and MRR at k, pessimistic ties (the shared core {@link io.seqcl.eval.Ranking},
 * also used by the CF evaluator) and three history modes (common.md section 5).
 */
package io.seqcl.eval;
