package io.seqcl.experiment;

import io.seqcl.model.CL4SRecConfig;
import io.seqcl.model.DuoRecConfig;
import io.seqcl.model.MCLRecConfig;
import io.seqcl.model.ContrastVAEConfig;
import io.seqcl.model.MetaSGCLConfig;
import io.seqcl.model.SASRecConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The explicit list of models seqcl provides, by lower-case name, each with its default configuration.
 *
 * <p>A test checks that every model class is registered here; there is no reflection-based lookup.
 */
public final class ModelRegistry {

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    /**
     * A registered model.
     *
     * @param name lower-case registry name
     * @param description one line: what it is and which paper
     * @param defaults builds the default spec
     */
    public record Entry(String name, String description, Supplier<ModelSpec> defaults) {
    }

    static {
        register("pop", "Popularity: training frequency of each item (baseline in every table)", ModelSpec::pop);
        register("sasrec", "SASRec (Kang and McAuley 2018), BERT-style post-LN, full-softmax CE (RecBole defaults)",
                () -> ModelSpec.sasrec(SASRecConfig.defaults()));
        register("metasgcl", "Meta-SGCL (sequential VAE + meta-optimised sigma' contrastive view), metasgcl.md defaults",
                () -> ModelSpec.metasgcl(MetaSGCLConfig.defaults()));
        register("cl4srec", "CL4SRec (crop/mask/reorder views + NT-Xent), DuoRec-repo code defaults, cl4srec_duorec.md",
                () -> ModelSpec.cl4srec(CL4SRecConfig.defaults()));
        register("duorec", "DuoRec (dropout + same-target supervised positives, us_x), cl4srec_duorec.md §4",
                () -> ModelSpec.duorec(DuoRecConfig.defaults()));
        register("mclrec", "MCLRec (meta-optimised augmenter MLPs, L_cl1/L_cl2/R, 3-step schedule), mclrec.md code defaults",
                () -> ModelSpec.mclrec(MCLRecConfig.defaults()));
        register("contrastvae", "ContrastVAE (Wang et al. CIKM'22): Transformer VAE + ContrastELBO, contrastvae.md Beauty defaults",
                () -> ModelSpec.contrastvae(ContrastVAEConfig.defaults()));
    }

    private ModelRegistry() {
    }

    private static void register(String name, String description, Supplier<ModelSpec> defaults) {
        MODELS.put(name, new Entry(name, description, defaults));
    }

    /**
     * Looks a model up by name (case-insensitive).
     *
     * @param name e.g. "sasrec"
     * @return its default spec
     * @throws IllegalArgumentException listing the known names
     */
    public static ModelSpec get(String name) {
        Entry e = MODELS.get(name.toLowerCase(Locale.ROOT).trim());
        if (e == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        return e.defaults().get();
    }

    /** @return the registered names in order */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    /** @return the registered entries in order */
    public static List<Entry> entries() {
        return List.copyOf(MODELS.values());
    }
}
