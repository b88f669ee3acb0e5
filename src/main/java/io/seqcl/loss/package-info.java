/**
 * Composable recommendation losses: full-softmax cross-entropy, sampled binary cross-entropy, in-batch InfoNCE,
 * and sampled-negative InfoNCE (plain, ×k and AdvInfoNCE's hardness-weighted form).
 */
package io.seqcl.loss;
