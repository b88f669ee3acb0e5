package io.seqcl.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqcl.config.ConfigException;
import io.seqcl.config.Configs;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.ModelConfig;
import io.seqcl.model.ModelRegistry;
import io.seqcl.model.TransformerModelConfig;
import io.seqcl.train.TrainConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An experiment as a file (YAML or JSON): the datasets, the paper protocol, the budget, the seeds, changes of the
 * training settings, and the models with changes of their configurations. {@code seqcl run FILE} runs it.
 *
 * <pre>
 * name: mclrec-table3
 * datasets: [beauty]
 * protocol: mclrec          # metasgcl | mclrec | contrastvae | coserec: history mode, early stopping, T, k
 * protocolSettings: {history: NEG_INF}   # optional changes of the paper's protocol (see PaperProtocol)
 * budget: quick             # quick | full
 * seeds: [2020, 2021, 2022]
 * train: {learningRate: 0.001}
 * models:
 *   - model: sasrec
 *   - model: mclrec
 *     name: MCLRec (paper switches)
 *     config: {rPairs: Z_ONLY, encoder: {transformer: {hiddenDropout: 0.3}}}
 * </pre>
 *
 * <p>How a model's configuration is made, for each dataset: the registry's defaults, then its preset for the
 * dataset's benchmark key (unless {@code presets: false}), then the protocol's T, then the {@code config} changes
 * (partial objects are merged key by key; a complete object replaces everything). The training settings are the
 * protocol's at the budget, then the {@code train} changes, with each seed. The provenance of a run holds the
 * resolved file (complete configurations), so running it again repeats the run.
 *
 * @param name experiment name (used in file names and tables)
 * @param datasets registry keys of the datasets ("synthetic" for the built-in data), or paths of sequence or
 *     {@code .inter} files (see {@link io.seqcl.data.Datasets#loadFile})
 * @param protocol the paper protocol (null: the models' paper, see {@link PaperSettings#defaultPaper})
 * @param budget quick or full (null: quick)
 * @param seeds the seeds (null or empty: 2020)
 * @param train changes of the training settings (null: none)
 * @param models the models
 * @param remapIds whether the item ids of dataset files are renumbered 1..N (null: false; see
 *     {@link io.seqcl.data.LoadOptions#withRemapIds})
 * @param protocolSettings changes of the paper's {@link PaperProtocol} (partial object, e.g.
 *     {@code {history: NEG_INF, patience: 20}}), validated against it (null: the paper's protocol unchanged)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentFile(String name, List<String> datasets, PaperSettings.Paper protocol, Budget budget,
                             List<Long> seeds, JsonNode train, List<Model> models, Boolean remapIds,
                             JsonNode protocolSettings) {

    /** The seed used when a file names none. */
    public static final long DEFAULT_SEED = 2020;

    /**
     * One model of an experiment.
     *
     * @param model registry key, e.g. "mclrec"
     * @param name display name (null: the registry's name for the configuration)
     * @param presets whether the per-dataset presets of the registry apply (null: true)
     * @param config changes of the configuration, or a complete configuration (null: none)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(String model, String name, Boolean presets, JsonNode config) {

        /** Validates the key against the registry. */
        public Model {
            ModelRegistry.get(model);
        }
    }

    /** Validates and fills defaults. */
    public ExperimentFile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an experiment needs a name");
        }
        if (datasets == null || datasets.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + name + "' names no dataset (key 'datasets')");
        }
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + name + "' names no model (key 'models')");
        }
        datasets = List.copyOf(datasets);
        models = List.copyOf(models);
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i) == null) {
                throw new IllegalArgumentException("models[" + i + "] is empty");
            }
        }
        protocol = protocol == null ? PaperSettings.defaultPaper(models.stream().map(Model::model).toList())
                : protocol;
        budget = budget == null ? Budget.QUICK : budget;
        seeds = seeds == null || seeds.isEmpty() ? List.of(DEFAULT_SEED) : List.copyOf(seeds);
        PaperProtocol resolvedProtocol = resolveProtocol(name, protocol, protocolSettings);
        if (!resolvedProtocol.sequential()) {
            throw new IllegalArgumentException("experiment '" + name + "': protocol " + resolvedProtocol.paper()
                    + " is for collaborative filtering (io.seqcl.cf.CfExperiment), not for the sequential models of "
                    + "an experiment file; use metasgcl, mclrec, contrastvae or coserec");
        }
        if (train != null && !train.isObject()) {
            throw new IllegalArgumentException("experiment '" + name + "': 'train' must be a group of keys");
        }
        if (train != null) {
            merge(TrainConfig.class, PaperSettings.train(resolvedProtocol, budget, DEFAULT_SEED), train, "train");
        }
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            if (m == null) {
                throw new IllegalArgumentException("models[" + i + "] is empty");
            }
            if (m.config() != null) {
                ModelRegistry.Entry<?> e = ModelRegistry.get(m.model());
                merge(e.configType(), e.defaults(), m.config(), "models[" + i + "].config");
            }
        }
    }

    /**
     * An experiment without protocol changes (the paper's protocol as it is).
     *
     * @param name experiment name
     * @param datasets dataset keys or paths
     * @param protocol the paper protocol (null: the models' paper)
     * @param budget quick or full (null: quick)
     * @param seeds the seeds (null or empty: 2020)
     * @param train changes of the training settings (null: none)
     * @param models the models
     * @param remapIds whether item ids of dataset files are renumbered (null: false)
     */
    public ExperimentFile(String name, List<String> datasets, PaperSettings.Paper protocol, Budget budget,
                          List<Long> seeds, JsonNode train, List<Model> models, Boolean remapIds) {
        this(name, datasets, protocol, budget, seeds, train, models, remapIds, null);
    }

    private static PaperProtocol resolveProtocol(String name, PaperSettings.Paper paper, JsonNode changes) {
        PaperProtocol base = paper.protocol();
        if (changes == null || changes.isNull()) {
            return base;
        }
        if (!changes.isObject()) {
            throw new ConfigException("experiment '" + name + "': 'protocolSettings' must be a group of keys (e.g. "
                    + "{history: NEG_INF}), got " + changes.getNodeType());
        }
        if (changes.has("paper")) {
            throw new ConfigException("experiment '" + name + "': protocolSettings.paper cannot be changed; set "
                    + "'protocol' instead");
        }
        return merge(PaperProtocol.class, base, changes, "protocolSettings");
    }

    /**
     * The protocol this experiment runs under: the paper's {@link PaperProtocol} with the
     * {@code protocolSettings} changes.
     *
     * @return the protocol
     */
    public PaperProtocol paperProtocol() {
        return resolveProtocol(name, protocol, protocolSettings);
    }

    /**
     * Reads an experiment file ({@code .yaml}, {@code .yml} or {@code .json}).
     *
     * @param file the file
     * @return the experiment
     * @throws ConfigException naming the file, line, key and what is allowed
     */
    public static ExperimentFile read(Path file) {
        return Configs.read(ExperimentFile.class, file);
    }

    /** @return this experiment as YAML */
    public String toYaml() {
        return Configs.toYaml(this);
    }

    /**
     * A copy with other seeds.
     *
     * @param newSeeds the seeds
     * @return the copy
     */
    public ExperimentFile withSeeds(List<Long> newSeeds) {
        return new ExperimentFile(name, datasets, protocol, budget, newSeeds, train, models, remapIds,
                protocolSettings);
    }

    /**
     * The row names of the models, in file order: a row's {@code name}, else the registry's name for its
     * configuration (the row's {@code config} changes applied to the registry's defaults), e.g. "DuoRec".
     *
     * @return the names
     */
    public List<String> rowNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            if (m.name() != null) {
                names.add(m.name());
            } else {
                ModelRegistry.Entry<?> e = ModelRegistry.get(m.model());
                ModelConfig c = m.config() == null ? e.defaults()
                        : merge(e.configType(), e.defaults(), m.config(), "models[" + i + "].config");
                names.add(e.nameFor(c));
            }
        }
        return names;
    }

    /**
     * A copy with some of the rows only, in file order, e.g. to run a table's missing model on its own and merge
     * its seed into the recorded table ({@link SeedMerge}): the name, datasets, protocol, budget and training
     * settings stay the file's.
     *
     * @param names row names ({@link #rowNames()})
     * @return the copy
     * @throws IllegalArgumentException if a name is not a row of the file (the rows are listed)
     */
    public ExperimentFile withRows(List<String> names) {
        List<String> rows = rowNames();
        for (String n : names) {
            if (!rows.contains(n)) {
                throw new IllegalArgumentException("experiment '" + name + "' has no row '" + n + "'; its rows: "
                        + String.join(", ", rows.stream().map(r -> "'" + r + "'").toList()));
            }
        }
        List<Model> kept = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            if (names.contains(rows.get(i))) {
                kept.add(models.get(i));
            }
        }
        return new ExperimentFile(name, datasets, protocol, budget, seeds, train, kept, remapIds, protocolSettings);
    }

    /**
     * A copy with more changes of the training settings, merged key by key into the file's {@code train} (as
     * {@code seqcl run FILE --set train.shards=2} does).
     *
     * @param changes the changes, e.g. {@code {shards: 2}}
     * @return the copy, validated
     * @throws ConfigException if a key or value is not a valid training setting
     */
    public ExperimentFile withTrainChanges(ObjectNode changes) {
        ObjectNode merged = train == null ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) train).deepCopy();
        mergeInto(merged, changes);
        return new ExperimentFile(name, datasets, protocol, budget, seeds, merged, models, remapIds, protocolSettings);
    }

    /**
     * The training settings for a dataset and seed: the protocol's at the budget, then the {@code train} changes.
     *
     * @param seed the seed
     * @return the settings
     */
    public TrainConfig trainConfig(long seed) {
        TrainConfig base = PaperSettings.train(paperProtocol(), budget, seed);
        if (train == null) {
            return base;
        }
        return merge(TrainConfig.class, base, train, "train").withSeed(seed);
    }

    /**
     * The resolved model specs for a dataset: presets, the protocol's T and the file's changes applied.
     *
     * @param ds the dataset (its {@link SequenceDataset#key()} selects presets)
     * @return the specs in file order
     */
    public List<ModelSpec> modelSpecs(SequenceDataset ds) {
        List<ModelSpec> out = new ArrayList<>();
        int t = PaperSettings.maxLen(paperProtocol(), ds, budget);
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            ModelRegistry.Entry<?> e = ModelRegistry.get(m.model());
            ModelConfig c = Boolean.FALSE.equals(m.presets()) ? e.defaults() : e.presetFor(ds.key());
            if (c instanceof TransformerModelConfig<?> tc) {
                c = tc.withMaxLen(t);
            }
            if (c instanceof io.seqcl.model.MaxLenConfig<?> rc) {
                c = rc.withMaxLen(t);
            }
            c = PaperSettings.atBudget(c, budget);
            if (m.config() != null) {
                c = merge(e.configType(), c, m.config(), "models[" + i + "].config");
            }
            out.add(PaperSettings.atBudget(m.name() == null ? ModelSpec.of(c) : new ModelSpec(m.name(), c), budget));
        }
        return out;
    }

    /**
     * The same experiment with every model's configuration written out in full and presets off, as recorded in
     * provenance: running it gives the same models whatever the registry's defaults become.
     *
     * @param dataset the dataset entry ({@link #datasets()}) of the run
     * @param ds the dataset the configurations were resolved for
     * @param seed the seed of the run
     * @return the resolved experiment for that dataset and seed
     */
    public ExperimentFile resolved(String dataset, SequenceDataset ds, long seed) {
        List<Model> explicit = new ArrayList<>();
        List<ModelSpec> specs = modelSpecs(ds);
        for (int i = 0; i < specs.size(); i++) {
            explicit.add(new Model(models.get(i).model(), specs.get(i).name(), false,
                    Configs.toTree(specs.get(i).config())));
        }
        return new ExperimentFile(name, List.of(dataset), protocol, budget, List.of(seed),
                Configs.toTree(trainConfig(seed)), explicit, remapIds, protocolSettings);
    }

    /**
     * Merges changes (a partial or complete object) into a configuration, key by key, and validates the result.
     *
     * @param type the record type
     * @param base the configuration
     * @param changes the changes
     * @param where the key path of the changes, for messages
     * @param <T> the type
     * @return the validated configuration
     */
    static <T> T merge(Class<? extends T> type, T base, JsonNode changes, String where) {
        if (!changes.isObject()) {
            throw new ConfigException(where + ": expected a group of keys, got " + changes.getNodeType());
        }
        ObjectNode tree = (ObjectNode) Configs.toTree(base);
        mergeInto(tree, (ObjectNode) changes);
        return Configs.fromTree(type, tree, where);
    }

    private static void mergeInto(ObjectNode target, ObjectNode changes) {
        Iterator<Map.Entry<String, JsonNode>> it = changes.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = target.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode c && !c.has("type")) {
                mergeInto(o, c);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Turns {@code key.path=value} changes (as given to {@code --set}) into a nested object.
     *
     * @param sets the changes, e.g. {@code encoder.maxLen=200}
     * @return the object, e.g. {@code {encoder: {maxLen: 200}}}
     * @throws ConfigException if a change is not {@code key=value}
     */
    public static ObjectNode setsToObject(List<String> sets) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set needs key=value, got '" + s + "'");
            }
            String[] path = s.substring(0, eq).trim().split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = node.get(path[i]);
                node = child instanceof ObjectNode o ? o : node.putObject(path[i]);
            }
            node.set(path[path.length - 1], Configs.parseValue(s.substring(eq + 1).trim()));
        }
        return root;
    }
}
