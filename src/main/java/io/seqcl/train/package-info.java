/**
 * Training loop with validation, early stopping, best-checkpoint restore, resumable checkpoints and progress callbacks.
 */
package io.seqcl.train;
