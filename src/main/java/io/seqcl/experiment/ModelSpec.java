package io.seqcl.experiment;

import io.seqcl.model.CL4SRec;
import io.seqcl.model.CL4SRecConfig;
import io.seqcl.model.DuoRec;
import io.seqcl.model.DuoRecConfig;
import io.seqcl.model.MCLRec;
import io.seqcl.model.MCLRecConfig;
import io.seqcl.model.ContrastVAE;
import io.seqcl.model.ContrastVAEConfig;
import io.seqcl.model.MetaSGCL;
import io.seqcl.model.MetaSGCLConfig;
import io.seqcl.model.Pop;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;

/**
 * A model to run: a display name, its configuration (logged in provenance) and how to build it.
 *
 * @param name display name used in result tables
 * @param config the configuration object (its {@code toString} is logged)
 * @param factory builds the model
 */
public record ModelSpec(String name, Object config, ModelFactory factory) {

    /** Validates the fields. */
    public ModelSpec {
        if (name == null || name.isBlank() || factory == null) {
            throw new IllegalArgumentException("a model spec needs a name and a factory");
        }
    }

    /** @return the popularity baseline */
    public static ModelSpec pop() {
        return new ModelSpec("Pop", "training-interaction counts", (n, seed) -> new Pop(n));
    }

    /**
     * SASRec with a configuration.
     *
     * @param config the configuration
     * @return the spec
     */
    public static ModelSpec sasrec(SASRecConfig config) {
        return new ModelSpec("SASRec", config, (n, seed) -> new SASRec(n, config, seed));
    }

    /**
     * Meta-SGCL with a configuration.
     *
     * @param config the configuration
     * @return the spec
     */
    public static ModelSpec metasgcl(MetaSGCLConfig config) {
        return new ModelSpec("Meta-SGCL", config, (n, seed) -> new MetaSGCL(n, config, seed));
    }

    /**
     * CL4SRec with a configuration.
     *
     * @param config the configuration
     * @return the spec
     */
    public static ModelSpec cl4srec(CL4SRecConfig config) {
        return new ModelSpec("CL4SRec", config, (n, seed) -> new CL4SRec(n, config, seed));
    }

    /**
     * DuoRec with a configuration.
     *
     * @param config the configuration
     * @return the spec
     */
    public static ModelSpec duorec(DuoRecConfig config) {
        return new ModelSpec("DuoRec", config, (n, seed) -> new DuoRec(n, config, seed));
    }

    /**
     * MCLRec (or MCLRec-J for the JOINT schedule) with a configuration.
     *
     * @param config the configuration
     * @return the spec
     */
    public static ModelSpec mclrec(MCLRecConfig config) {
        String name = config.schedule() == MCLRecConfig.Schedule.JOINT ? "MCLRec-J" : "MCLRec";
        return new ModelSpec(name, config, (n, seed) -> new MCLRec(n, config, seed));
    }

    /**
     * ContrastVAE with a configuration.
     *
     * @param config the configuration
     * @return the spec
     */
    public static ModelSpec contrastvae(ContrastVAEConfig config) {
        return new ModelSpec("ContrastVAE", config, (n, seed) -> new ContrastVAE(n, config, seed));
    }

    /**
     * A copy under another display name (e.g. "SASRec d=128").
     *
     * @param newName the name
     * @return the copy
     */
    public ModelSpec named(String newName) {
        return new ModelSpec(newName, config, factory);
    }
}
