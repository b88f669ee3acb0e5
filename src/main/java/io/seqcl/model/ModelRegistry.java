package io.seqcl.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one list of models seqcl provides: one line per model with its key, display name, configuration type,
 * defaults, factory, and per-dataset presets keyed by benchmark key ({@code beauty}, {@code toys}, ...).
 *
 * <p>Everything that needs "a model by name" (the command line, experiment files, the paper settings, the contract
 * test suite) reads this list; there is no {@code switch} over model names anywhere else and no reflection. Adding
 * a model is its class, its configuration and one {@link #register} line here (README, "Adding a model").
 */
public final class ModelRegistry {

    /**
     * Builds a model from its configuration.
     *
     * @param <C> the configuration type
     */
    @FunctionalInterface
    public interface Factory<C extends ModelConfig> {
        /**
         * @param numItems number of items N
         * @param config the configuration
         * @param seed initialisation seed
         * @return a new, untrained model
         */
        SequentialRecommender create(int numItems, C config, long seed);
    }

    /**
     * A registered model.
     *
     * @param key lower-case registry key, e.g. "mclrec"
     * @param description one line: what it is and which paper
     * @param configType the configuration record type (read from files with it)
     * @param defaults the default configuration
     * @param factory builds the model
     * @param displayName the name in result tables for a configuration (e.g. MCLRec-J for the joint schedule)
     * @param presets changes of the defaults per benchmark key where the papers give them
     * @param <C> the configuration type
     */
    public record Entry<C extends ModelConfig>(String key, String description, Class<C> configType, C defaults,
                                               Factory<C> factory, Function<C, String> displayName,
                                               Map<String, UnaryOperator<C>> presets) {

        /** Validates and copies. */
        public Entry {
            if (key == null || !key.equals(key.toLowerCase(Locale.ROOT)) || key.isBlank()) {
                throw new IllegalArgumentException("a model key must be lower-case and non-blank, got " + key);
            }
            if (configType == null || defaults == null || factory == null || displayName == null) {
                throw new IllegalArgumentException(key + ": configType, defaults, factory and displayName must be set");
            }
            presets = Map.copyOf(presets);
        }

        /**
         * The configuration for a dataset: the preset for its benchmark key applied to {@code base}, or
         * {@code base} unchanged.
         *
         * @param base the starting configuration
         * @param datasetKey benchmark key, e.g. "beauty" (null or unknown: no preset)
         * @return the configuration
         */
        public C preset(C base, String datasetKey) {
            UnaryOperator<C> p = datasetKey == null ? null : presets.get(datasetKey.toLowerCase(Locale.ROOT));
            return p == null ? base : p.apply(base);
        }

        /**
         * The defaults with the preset for a benchmark key applied.
         *
         * @param datasetKey e.g. "beauty" (null or without a preset: the defaults)
         * @return the configuration
         */
        public C presetFor(String datasetKey) {
            return preset(defaults, datasetKey);
        }

        /**
         * Builds a model, checking that the configuration has this entry's type.
         *
         * @param numItems N
         * @param config the configuration
         * @param seed initialisation seed
         * @return the model
         */
        public SequentialRecommender create(int numItems, ModelConfig config, long seed) {
            return factory.create(numItems, cast(config), seed);
        }

        /**
         * The display name for a configuration of this model.
         *
         * @param config the configuration
         * @return e.g. "MCLRec-J"
         */
        public String nameFor(ModelConfig config) {
            return displayName.apply(cast(config));
        }

        private C cast(ModelConfig config) {
            if (!configType.isInstance(config)) {
                throw new IllegalArgumentException("model '" + key + "' needs a " + configType.getSimpleName()
                        + ", got " + (config == null ? "null" : config.getClass().getSimpleName()));
            }
            return configType.cast(config);
        }
    }

    private static final Map<String, Entry<?>> MODELS = new LinkedHashMap<>();

    static {
        register(new Entry<>("pop", "Popularity: training frequency of each item (baseline in every table)",
                PopConfig.class, new PopConfig(), (n, c, seed) -> new Pop(n), c -> "Pop", Map.of()));
        register(new Entry<>("sasrec",
                "SASRec (Kang and McAuley 2018), BERT-style post-LN, full-softmax CE (RecBole defaults)",
                SASRecConfig.class, SASRecConfig.defaults(), SASRec::new, c -> "SASRec", Map.of()));
        register(new Entry<>("metasgcl",
                "Meta-SGCL (sequential VAE + meta-optimised sigma' contrastive view), metasgcl.md defaults",
                MetaSGCLConfig.class, MetaSGCLConfig.defaults(), MetaSGCL::new, c -> "Meta-SGCL",
                // the paper's beta is on ContrastVAE's KL scale (the real positions' KL over all B*T slots)
                Map.of("clothing", c -> c.withBeta(0.3).withKlOverSlots(true),
                        "toys", c -> c.withBeta(0.2).withKlOverSlots(true), "ml-1m", c -> c.withKlOverSlots(true))));
        register(new Entry<>("cl4srec",
                "CL4SRec (crop/mask/reorder views + NT-Xent), DuoRec-repo code defaults, cl4srec_duorec.md",
                CL4SRecConfig.class, CL4SRecConfig.defaults(), CL4SRec::new, c -> "CL4SRec", Map.of()));
        register(new Entry<>("duorec", "DuoRec (dropout + same-target supervised positives, us_x), cl4srec_duorec.md §4",
                DuoRecConfig.class, DuoRecConfig.defaults(), DuoRec::new, c -> "DuoRec", Map.of()));
        register(new Entry<>("mclrec",
                "MCLRec (meta-optimised augmenter MLPs, L_cl1/L_cl2/R, 3-step schedule), mclrec.md code defaults",
                MCLRecConfig.class, MCLRecConfig.defaults(), MCLRec::new,
                c -> c.schedule() == MCLRecConfig.Schedule.JOINT ? "MCLRec-J" : "MCLRec",
                Map.of("sports", MCLRecConfig::forSports, "beauty", MCLRecConfig::forBeauty,
                        "yelp", MCLRecConfig::forYelp, "ml-1m", MCLRecConfig::forMl1m, "toys", MCLRecConfig::forToys)));
        register(new Entry<>("contrastvae",
                "ContrastVAE (Wang et al. CIKM'22): Transformer VAE + ContrastELBO, contrastvae.md Beauty defaults",
                ContrastVAEConfig.class, ContrastVAEConfig.defaults(), ContrastVAE::new, c -> "ContrastVAE",
                Map.of("toys", ContrastVAEConfig::forToys)));
        register(new Entry<>("bert4rec",
                "BERT4Rec (Sun et al. CIKM'19): bidirectional Transformer, Cloze masking, [mask] appended at test; "
                        + "seqcl's clean variant (presets recboleV1/recboleHead), baselines.md §5",
                BERT4RecConfig.class, BERT4RecConfig.defaults(), BERT4Rec::new, BERT4RecConfig::displayName, Map.of()));
        register(new Entry<>("s3rec",
                "S3-Rec_MIP (Zhou et al. CIKM'20): masked-item-prediction pre-training, then SASRec fine-tuning "
                        + "(reference code defaults), baselines.md §8",
                S3RecConfig.class, S3RecConfig.defaults(), S3Rec::new, S3RecConfig::displayName, Map.of()));
        register(new Entry<>("bprmf", "BPR-MF (Rendle et al. UAI'09): MF + pairwise BPR loss, RecBole bpr.py; default = seqcl"
                + " clean (softplus), BPRMFConfig.paperTable() = RecBole lineage; baselines.md §2",
                BPRMFConfig.class, BPRMFConfig.defaults(), BPRMF::new, c -> "BPR-MF", Map.of()));
        register(new Entry<>("gru4rec", "GRU4Rec (Hidasi et al. ICLR'16), RecBole gru4rec.py: GRU 128 + CE; default = seqcl"
                + " clean (row 0 not a class), GRU4RecConfig.paperTable() = RecBole lineage; baselines.md §3",
                GRU4RecConfig.class, GRU4RecConfig.defaults(), GRU4Rec::new, c -> "GRU4Rec", Map.of()));
        register(new Entry<>("caser", "Caser (Tang and Wang WSDM'18): horizontal/vertical convs over the last L items + user"
                + " embedding, RecBole head; default = seqcl clean (L 5), CaserConfig.paperTable() = RecBole (L = T = 50);"
                + " baselines.md §4", CaserConfig.class, CaserConfig.defaults(), Caser::new, c -> "Caser", Map.of()));
        register(new Entry<>("vsan",
                "VSAN (Zhao et al. ICDE'21), UNVERIFIED reconstruction (no paper text or code): SAN + Gaussian heads + SAN decoder, CE + warmed-up KL, baselines.md §6",
                VSANConfig.class, VSANConfig.defaults(), VSAN::new, c -> "VSAN", Map.of("ml-1m", VSANConfig::forMl1m)));
        register(new Entry<>("acvae",
                "ACVAE (Xie et al. WWW'21): GRU + causal-conv noise-injection VAE, AVB KL and contrastive discriminators, AdamW + SGD, baselines.md §7",
                ACVAEConfig.class, ACVAEConfig.defaults(), ACVAE::new,
                c -> c.singleOptimizer() ? "ACVAE-1opt" : "ACVAE", Map.of("ml-1m", ACVAEConfig::forMl1m)));
        register(new Entry<>("coserec",
                "CoSeRec (informative insert/substitute, ItemCF-IUF + hybrid similarity, vec(H) NCE), baselines.md §9",
                CoSeRecConfig.class, CoSeRecConfig.defaults(), CoSeRec::new, c -> "CoSeRec",
                Map.of("beauty", CoSeRecConfig::forBeauty, "yelp", CoSeRecConfig::forYelp)));
        register(new Entry<>("iclrec",
                "ICLRec (per-epoch k-means intents + prototype NCE + instance NCE), baselines.md §10",
                ICLRecConfig.class, ICLRecConfig.defaults(), ICLRec::new, c -> "ICLRec",
                Map.of("beauty", ICLRecConfig::forBeauty, "toys", ICLRecConfig::forToys,
                        "ml-1m", ICLRecConfig::forMl1m)));
        register(new Entry<>("lma4rec",
                "LMA4Rec-like: CoSeRec + learnable Bernoulli dropout (ARM) in the CL branch; seqcl's own design, UNVERIFIED (no code or full text), baselines.md §12",
                LMA4RecConfig.class, LMA4RecConfig.defaults(), LMA4Rec::new, c -> "LMA4Rec",
                Map.of("beauty", LMA4RecConfig::forBeauty, "yelp", LMA4RecConfig::forYelp)));
        register(new Entry<>("srma",
                "SRMA (model augmentation: neuron masking, layer drop, encoder complementing; vec(H) NCE), "
                        + "baselines.md §11",
                SRMAConfig.class, SRMAConfig.defaults(), SRMA::new, c -> "SRMA", Map.of()));
    }

    private ModelRegistry() {
    }

    private static void register(Entry<?> e) {
        if (MODELS.putIfAbsent(e.key(), e) != null) {
            throw new IllegalStateException("model key registered twice: " + e.key());
        }
    }

    /**
     * Looks a model up by key (case-insensitive).
     *
     * @param key e.g. "sasrec"
     * @return its entry
     * @throws IllegalArgumentException listing the known keys
     */
    public static Entry<?> get(String key) {
        Entry<?> e = key == null ? null : MODELS.get(key.toLowerCase(Locale.ROOT).trim());
        if (e == null) {
            throw new IllegalArgumentException("unknown model '" + key + "'; known: " + String.join(", ", names()));
        }
        return e;
    }

    /**
     * The entry whose configuration type a configuration has.
     *
     * @param config a configuration
     * @return its entry
     * @throws IllegalArgumentException if no model uses that configuration type
     */
    public static Entry<?> forConfig(ModelConfig config) {
        for (Entry<?> e : MODELS.values()) {
            if (e.configType().isInstance(config)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no registered model has configuration type "
                + (config == null ? "null" : config.getClass().getName()));
    }

    /**
     * Builds a model from a configuration (the registry finds the model by the configuration's type).
     *
     * @param config the configuration
     * @param numItems N
     * @param seed initialisation seed
     * @return the model
     */
    public static SequentialRecommender create(ModelConfig config, int numItems, long seed) {
        return forConfig(config).create(numItems, config, seed);
    }

    /** @return the registered keys in order */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    /** @return the registered entries in order */
    public static List<Entry<?>> entries() {
        return List.copyOf(MODELS.values());
    }
}
