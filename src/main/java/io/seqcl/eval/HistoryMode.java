package io.seqcl.eval;

/**
 * What full-ranking evaluation does with items already in the user's history (common.md section 5).
 */
public enum HistoryMode {
    /** History items stay candidates (RecBole: MCLRec, DuoRec, CL4SRec). */
    NONE,
    /** History items get score 0 (ContrastVAE/CoSeRec exact; not a true exclusion when scores are negative). */
    ZERO,
    /** History items get score minus infinity: clean exclusion (default for Meta-SGCL). */
    NEG_INF
}
