/**
 * Training loop with validation, early stopping ({@link io.seqcl.train.EarlyStopping}), best-checkpoint restore,
 * resumable checkpoints and progress callbacks; the one optimizer stage ({@link io.seqcl.optim.OptimizerStage},
 * descend or ascend) behind every single-, multi- and two-stage step and the CF trainer.
 */
package io.seqcl.train;
