package io.seqcl.experiment;

import io.seqcl.model.CL4SRecConfig;
import io.seqcl.model.ContrastVAEConfig;
import io.seqcl.model.DuoRecConfig;
import io.seqcl.model.MCLRecConfig;
import io.seqcl.model.MetaSGCLConfig;
import io.seqcl.model.ModelConfig;
import io.seqcl.model.ModelRegistry;
import io.seqcl.model.PopConfig;
import io.seqcl.model.SASRecConfig;
import io.seqcl.model.SequentialRecommender;

/**
 * A model to run: a display name, its configuration and how many times the experiment's epochs it trains (1 but for
 * the quick budget's slow starters, {@link PaperSettings#quickEpochFactor}); the registry ({@link ModelRegistry})
 * builds the model from the configuration's type, and the configuration is written into the provenance.
 *
 * @param name display name used in result tables
 * @param config the configuration
 * @param epochFactor the model trains this many times the experiment's epochs, with that many times its patience
 *     (at least 1; {@link #trainFrom})
 */
public record ModelSpec(String name, ModelConfig config, int epochFactor) {

    /** Validates the fields and that a registered model takes this configuration. */
    public ModelSpec {
        if (name == null || name.isBlank() || config == null) {
            throw new IllegalArgumentException("a model spec needs a name and a configuration");
        }
        if (epochFactor < 1) {
            throw new IllegalArgumentException("model '" + name + "': epochFactor must be at least 1, got "
                    + epochFactor);
        }
        ModelRegistry.forConfig(config);
    }

    /**
     * A model that trains the experiment's epochs.
     *
     * @param name display name used in result tables
     * @param config the configuration
     */
    public ModelSpec(String name, ModelConfig config) {
        this(name, config, 1);
    }

    /**
     * A copy that trains {@code factor} times the experiment's epochs.
     *
     * @param factor at least 1
     * @return the copy
     */
    public ModelSpec withEpochFactor(int factor) {
        return new ModelSpec(name, config, factor);
    }

    /**
     * The training settings of this model in an experiment with settings {@code t}: {@code t} itself, or with
     * {@link #epochFactor} times its epochs and patience (batches per epoch, learning rate and everything else
     * unchanged).
     *
     * @param t the experiment's settings
     * @return this model's settings
     */
    public io.seqcl.train.TrainConfig trainFrom(io.seqcl.train.TrainConfig t) {
        return epochFactor == 1 ? t : t.withEpochs(t.epochs() * epochFactor).withPatience(t.patience() * epochFactor);
    }

    /**
     * A spec named by the registry for its configuration (e.g. "MCLRec-J" for the joint schedule).
     *
     * @param config the configuration
     * @return the spec
     */
    public static ModelSpec of(ModelConfig config) {
        return new ModelSpec(ModelRegistry.forConfig(config).nameFor(config), config);
    }

    /** @return the registry key of the model, e.g. "sasrec" */
    public String key() {
        return ModelRegistry.forConfig(config).key();
    }

    /**
     * Builds a fresh model.
     *
     * @param numItems N
     * @param seed initialisation seed
     * @return the model
     */
    public SequentialRecommender create(int numItems, long seed) {
        return ModelRegistry.create(config, numItems, seed);
    }

    /** @return the popularity baseline */
    public static ModelSpec pop() {
        return of(new PopConfig());
    }

    /** @param config the configuration @return SASRec with it */
    public static ModelSpec sasrec(SASRecConfig config) {
        return of(config);
    }

    /** @param config the configuration @return Meta-SGCL with it */
    public static ModelSpec metasgcl(MetaSGCLConfig config) {
        return of(config);
    }

    /** @param config the configuration @return CL4SRec with it */
    public static ModelSpec cl4srec(CL4SRecConfig config) {
        return of(config);
    }

    /** @param config the configuration @return DuoRec with it */
    public static ModelSpec duorec(DuoRecConfig config) {
        return of(config);
    }

    /** @param config the configuration @return MCLRec (MCLRec-J for the JOINT schedule) with it */
    public static ModelSpec mclrec(MCLRecConfig config) {
        return of(config);
    }

    /** @param config the configuration @return ContrastVAE with it */
    public static ModelSpec contrastvae(ContrastVAEConfig config) {
        return of(config);
    }

    /**
     * A copy under another display name (e.g. "SASRec d=128").
     *
     * @param newName the name
     * @return the copy
     */
    public ModelSpec named(String newName) {
        return new ModelSpec(newName, config, epochFactor);
    }
}
