/**
 * Composable recommendation losses: full-softmax cross-entropy and sampled binary cross-entropy.
 */
package io.seqcl.loss;
