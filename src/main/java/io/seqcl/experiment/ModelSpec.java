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
 * A model to run: a display name and its configuration; the registry ({@link ModelRegistry}) builds the model from
 * the configuration's type, and the configuration is written into the provenance.
 *
 * @param name display name used in result tables
 * @param config the configuration
 */
public record ModelSpec(String name, ModelConfig config) {

    /** Validates the fields and that a registered model takes this configuration. */
    public ModelSpec {
        if (name == null || name.isBlank() || config == null) {
            throw new IllegalArgumentException("a model spec needs a name and a configuration");
        }
        ModelRegistry.forConfig(config);
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
        return new ModelSpec(newName, config);
    }
}
