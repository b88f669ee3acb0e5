/**
 * Collaborative filtering (non-sequential user-item top-K) with contrastive losses: the AdvInfoNCE study.
 *
 * <p>AdvInfoNCE: Zhang et al., "Empowering Collaborative Filtering with Principled Adversarial Contrastive
 * Loss", NeurIPS'23 (../shared/papers/004_d175cd9068ec927a.txt; details from /work/shared/specs/advinfonce.md).
 * Pieces: {@link io.seqcl.cf.CfDatasets} / {@link io.seqcl.cf.CfDataset} (Coat, Yahoo!R3, synthetic),
 * {@link io.seqcl.cf.CfModel} (MF, LightGCN; InfoNCE, InfoNCE×k, AdvInfoNCE with EMBED or MLP hardness, as
 * {@link io.seqcl.loss.SampledInfoNCE} objects), {@link io.seqcl.cf.CfSampler}, {@link io.seqcl.cf.CfTrainer}
 * (adversarial schedule as an ascending {@link io.seqcl.optim.OptimizerStage}, early stopping by
 * {@link io.seqcl.train.EarlyStopping}), {@link io.seqcl.cf.CfEvaluator} (Recall/NDCG/HR@K with multiple targets,
 * Pop, ranked by the shared pessimistic core {@link io.seqcl.eval.Ranking}),
 * {@link io.seqcl.cf.CfExperiment} / {@link io.seqcl.cf.CfResult} (tables, provenance) and
 * {@link io.seqcl.cf.CfPlots}.
 */
package io.seqcl.cf;
