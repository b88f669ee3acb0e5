/**
 * Full-ranking evaluation with HR, NDCG and MRR at k, pessimistic ties and three history modes (common.md section 5).
 */
package io.seqcl.eval;
