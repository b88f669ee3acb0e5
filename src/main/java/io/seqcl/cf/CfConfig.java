package io.seqcl.cf;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Locale;

/**
 * Configuration of a collaborative-filtering run ({@link CfModel} + {@link CfTrainer}); every open choice of
 * advinfonce.md is a field, so {@link #toString()} logs the full set of choices with each run.
 *
 * <p>AdvInfoNCE: Zhang et al., "Empowering Collaborative Filtering with Principled Adversarial Contrastive Loss",
 * NeurIPS'23 (../shared/papers/004_d175cd9068ec927a.txt); defaults follow the LehengTHU/AdvInfoNCE code as
 * read in /work/shared/specs/advinfonce.md (sections cited per field), {@link #paper} the README commands (§7).
 *
 * @param backbone MF or LightGCN (§2)
 * @param layers LightGCN propagation layers (2; ignored by MF, which is LightGCN with 0 layers) (§2)
 * @param dim embedding size d (64) (§2)
 * @param loss InfoNCE, InfoNCE with negatives weighted by {@code kNeg}, or AdvInfoNCE (§3, §4)
 * @param hardness hardness model of AdvInfoNCE: EMBED tables (default) or MLP on detached embeddings (§4)
 * @param hardnessDim size of the EMBED hardness tables (64) or the MLP output (4) (§4)
 * @param temperature tau (README per dataset; parse.py default 0.1) (§7)
 * @param learningRate Adam_main learning rate (parse.py 5e-4) (§7)
 * @param batchSize draws per batch, drop_last (parse.py 2048) (§7, common.md §3.3)
 * @param negatives sampled negatives N per draw (parse.py 128) (§7)
 * @param kNeg negative weight k of AdvInfoNCE and of the InfoNCE×k control (64) (§4)
 * @param advLearningRate Adam_adv learning rate (5e-5) (§5)
 * @param advInterval T_adv: adversarial phase when (epoch + advOffset) mod T_adv = 0 (5) (§5)
 * @param advOffset the "+3" of the schedule (3) (§5)
 * @param etaEpochs E_adv: maximum number of adversarial passes (7) (§5)
 * @param advEpochs passes per adversarial phase (1) (§5)
 * @param warmUpEpochs adversarial phases only after this epoch (0) (§5)
 * @param regs L2 coefficient on the batch's layer-0 embeddings (1e-5) (§3)
 * @param trainNorm cosine similarity in the loss (true, all README runs) (§2)
 * @param predNorm cosine similarity for ranking (true) (§2)
 * @param epochs maximum epochs (2000) (§5)
 * @param evalEvery validate every this many epochs (verbose 5) (§5)
 * @param patience early stop after this many validations without strict improvement of valid Recall@K (10)
 * @param topK cut-off K of the metrics (20) (§6)
 * @param maxStepsPerEpoch cap on batches per epoch, 0 = all |R|/batch (used by the QUICK budget) [CHOICE]
 * @param minEpochs epochs that must run before early stopping may fire (0 = none, the authors' code). [CHOICE]
 *                  The README budget (validation every 5 epochs, patience 10 validations) can stop InfoNCE while
 *                  validation is still at random-ranking level (issue 12 item 7); a minimum number of epochs makes
 *                  the comparison of losses robust. Validation, best-weight selection and patience are unchanged;
 *                  only the stop is deferred until at least this many epochs have run.
 */
@RecordBuilder
public record CfConfig(Backbone backbone, int layers, int dim, Loss loss, Hardness hardness, int hardnessDim,
                       double temperature, double learningRate, int batchSize, int negatives, double kNeg,
                       double advLearningRate, int advInterval, int advOffset, int etaEpochs, int advEpochs,
                       int warmUpEpochs, double regs, boolean trainNorm, boolean predNorm, int epochs, int evalEvery,
                       int patience, int topK, int maxStepsPerEpoch, int minEpochs)
        implements CfConfigBuilder.With {

    /** CF backbone (advinfonce.md §2). */
    public enum Backbone {
        /** Matrix factorisation: final embeddings = layer-0 embeddings. */
        MF,
        /** LightGCN: mean of E^0..E^L with E^{k+1} = D^-1/2 A D^-1/2 E^k on the user-item graph. */
        LIGHTGCN
    }

    /** Training loss (advinfonce.md §3, §4). */
    public enum Loss {
        /** InfoNCE over the positive and N sampled negatives (main.py INFONCE: no ×k). */
        INFONCE,
        /** InfoNCE with every negative weighted by k: AdvInfoNCE with uniform hardness (the fair control). */
        INFONCE_K,
        /** AdvInfoNCE: negatives weighted by k·N·p_uj, p learned adversarially. */
        ADV_INFONCE
    }

    /** AdvInfoNCE hardness model (advinfonce.md §4, {@code --model_version}). */
    public enum Hardness {
        /** Separate user/item tables, hardness logit = inner product (default). */
        EMBED,
        /** ReLU(W e + b) of the detached layer-0 embeddings, hardness logit = inner product. */
        MLP
    }

    /** Validates every field. */
    public CfConfig {
        if (backbone == null || loss == null || hardness == null) {
            throw new IllegalArgumentException("backbone, loss and hardness must be set");
        }
        positive("layers", layers + 1);
        positive("dim", dim);
        positive("hardnessDim", hardnessDim);
        positive("temperature", temperature);
        positive("learningRate", learningRate);
        positive("batchSize", batchSize);
        positive("negatives", negatives);
        positive("kNeg", kNeg);
        positive("advLearningRate", advLearningRate);
        positive("advInterval", advInterval);
        positive("advEpochs", advEpochs);
        positive("epochs", epochs);
        positive("evalEvery", evalEvery);
        positive("patience", patience);
        positive("topK", topK);
        if (advOffset < 0) {
            throw new IllegalArgumentException("advOffset must be >= 0, got " + advOffset);
        }
        if (etaEpochs < 0) {
            throw new IllegalArgumentException("etaEpochs must be >= 0, got " + etaEpochs);
        }
        if (warmUpEpochs < 0) {
            throw new IllegalArgumentException("warmUpEpochs must be >= 0, got " + warmUpEpochs);
        }
        if (!(regs >= 0)) {
            throw new IllegalArgumentException("regs must be >= 0, got " + regs);
        }
        if (minEpochs < 0) {
            throw new IllegalArgumentException("minEpochs must be >= 0, got " + minEpochs);
        }
        if (maxStepsPerEpoch < 0) {
            throw new IllegalArgumentException("maxStepsPerEpoch must be >= 0, got " + maxStepsPerEpoch);
        }
    }

    private static void positive(String name, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    /** @return parse.py defaults: LightGCN 2 layers, d 64, AdvInfoNCE (embed), τ 0.1, lr 5e-4, batch 2048, N 128 */
    public static CfConfig defaults() {
        return new CfConfig(Backbone.LIGHTGCN, 2, 64, Loss.ADV_INFONCE, Hardness.EMBED, 64, 0.1, 5e-4, 2048, 128,
                64, 5e-5, 5, 3, 7, 1, 0, 1e-5, true, true, 2000, 5, 10, 20, 0, 0);
    }

    /**
     * The README command of advinfonce.md §7 for a dataset and backbone (other fields from {@link #defaults()}).
     *
     * @param dataset "coat" or "yahoo" (anything else: defaults)
     * @param backbone the backbone
     * @param loss the loss
     * @return the configuration
     */
    public static CfConfig paper(String dataset, Backbone backbone, Loss loss) {
        CfConfig c = defaults().withBackbone(backbone).withLoss(loss);
        String d = dataset.toLowerCase(Locale.ROOT);
        boolean lgn = backbone == Backbone.LIGHTGCN;
        if (d.startsWith("coat")) {
            return c.withTemperature(0.75).withLearningRate(1e-3).withBatchSize(1024).withNegatives(64)
                    .withAdv(1e-2, 15, lgn ? 20 : 18);
        }
        if (d.startsWith("yahoo")) {
            return c.withTemperature(0.28).withLearningRate(5e-4).withBatchSize(1024).withNegatives(64)
                    .withAdv(1e-4, 5, lgn ? 13 : 12);
        }
        return c;
    }

    /** @return the number of propagation layers actually used (0 for MF) */
    public int effectiveLayers() {
        return backbone == Backbone.MF ? 0 : layers;
    }











    /**
     * Sets the adversarial schedule.
     *
     * @param lr Adam_adv learning rate
     * @param interval T_adv
     * @param eta E_adv (maximum adversarial passes)
     * @return a copy with them
     */
    public CfConfig withAdv(double lr, int interval, int eta) {
        return new CfConfig(backbone, layers, dim, loss, hardness, hardnessDim, temperature, learningRate,
                batchSize, negatives, kNeg, lr, interval, advOffset, eta, advEpochs, warmUpEpochs, regs, trainNorm,
                predNorm, epochs, evalEvery, patience, topK, maxStepsPerEpoch, minEpochs);
    }



    /**
     * Sets the training length.
     *
     * @param maxEpochs epochs
     * @param every validate every this many epochs
     * @param patienceEvals early-stopping patience in validations
     * @param maxSteps cap on batches per epoch (0 = none)
     * @return a copy with them
     */
    public CfConfig withSchedule(int maxEpochs, int every, int patienceEvals, int maxSteps) {
        return new CfConfig(backbone, layers, dim, loss, hardness, hardnessDim, temperature, learningRate,
                batchSize, negatives, kNeg, advLearningRate, advInterval, advOffset, etaEpochs, advEpochs,
                warmUpEpochs, regs, trainNorm, predNorm, maxEpochs, every, patienceEvals, topK, maxSteps, minEpochs);
    }


    /**
     * @param train cosine in the loss
     * @param pred cosine in ranking
     * @return a copy with them
     */
    public CfConfig withNorm(boolean train, boolean pred) {
        return new CfConfig(backbone, layers, dim, loss, hardness, hardnessDim, temperature, learningRate,
                batchSize, negatives, kNeg, advLearningRate, advInterval, advOffset, etaEpochs, advEpochs,
                warmUpEpochs, regs, train, pred, epochs, evalEvery, patience, topK, maxStepsPerEpoch, minEpochs);
    }

    /**
     * A copy with another hardness model; the hardness size follows it (4 for MLP, 64 for EMBED, as in the code).
     *
     * @param v the hardness model
     * @return the copy
     */
    @Override
    public CfConfig withHardness(Hardness v) {
        return withHardnessDim(v == Hardness.MLP ? 4 : 64).with(b -> b.hardness(v));
    }
}
