/**
 * Per-batch optimisation procedures: the {@link io.seqcl.optim.TrainStep} contract, one Adam step on one loss
 * ({@link io.seqcl.optim.SingleLossStep}), multi-stage and meta-optimised schedules
 * ({@link io.seqcl.optim.MultiStageStep}, {@link io.seqcl.optim.MetaTwoStageStep}) and their settings
 * ({@link io.seqcl.optim.OptimConfig}). Models build their step from here; the training loop lives in
 * {@code io.seqcl.train}.
 */
package io.seqcl.optim;
