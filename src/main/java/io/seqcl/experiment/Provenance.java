package io.seqcl.experiment;

import ai.djl.engine.Engine;
import io.seqcl.data.SequenceDataset;
import io.seqcl.nn.Devices;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a result came from: configuration, seed, dataset checksum, library versions, hardware and wall time
 * (in the spirit of Tribuo's provenance), as an ordered key/value map.
 */
public final class Provenance {

    /** The seqcl version written into provenance. */
    public static final String SEQCL_VERSION = "0.1.0-SNAPSHOT";

    private final Map<String, String> values = new LinkedHashMap<>();
    private com.fasterxml.jackson.databind.JsonNode experiment;

    private Provenance() {
    }

    /**
     * Starts a provenance record with versions, hardware and the dataset's identity.
     *
     * @param dataset the dataset used
     * @param seed the run seed
     * @return a record to which the caller adds configurations and timings
     */
    public static Provenance start(SequenceDataset dataset, long seed) {
        Provenance p = new Provenance();
        p.put("started", Instant.now().toString());
        p.put("seqcl.version", SEQCL_VERSION);
        p.put("git.commit", GitInfo.commit());
        p.put("djl.version", Engine.getDjlVersion());
        p.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        p.put("device", Devices.current().toString());
        p.put("java.version", System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        p.put("cpu", cpuModel());
        p.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        p.put("max.heap.mb", String.valueOf(Runtime.getRuntime().maxMemory() >> 20));
        p.put("dataset", dataset.name());
        p.put("dataset.source", dataset.source());
        p.put("dataset.sha256", dataset.sha256() == null ? "(generated)" : dataset.sha256());
        p.put("dataset.counts", dataset.numUsers() + " users / " + dataset.numItems() + " items / "
                + dataset.numInteractions() + " interactions");
        p.put("seed", String.valueOf(seed));
        return p;
    }

    /**
     * A record holding the given entries, in their order (e.g. a provenance.csv read back and edited).
     *
     * @param values the entries
     * @return the record
     */
    static Provenance of(Map<String, String> values) {
        Provenance p = new Provenance();
        p.values.putAll(values);
        return p;
    }

    /**
     * Adds or replaces an entry.
     *
     * @param key the key
     * @param value the value
     * @return this
     */
    public Provenance put(String key, String value) {
        values.put(key, value);
        return this;
    }

    /**
     * Records that the run began before this sitting: a run resumed from checkpoints began when its first epoch
     * did. If {@code first} is earlier than {@code started}, {@code started} becomes {@code first} and this
     * sitting's start moves to {@code sitting.started}; otherwise nothing changes.
     *
     * @param first when the earliest recorded epoch of the run began (null: not known)
     * @return this
     */
    public Provenance startedAt(Instant first) {
        String now = values.get("started");
        if (first == null || now == null) {
            return this;
        }
        Instant sitting = values.containsKey("sitting.started") ? Instant.parse(values.get("sitting.started"))
                : Instant.parse(now);
        if (first.isBefore(sitting)) {
            values.put("started", first.toString());
            values.put("sitting.started", sitting.toString());
        }
        return this;
    }

    /**
     * When the first epoch of a curve began, from its {@code ended} and {@code seconds} columns (the first epoch's
     * end minus its duration).
     *
     * @param curve a per-epoch curve
     * @return the instant, or null when the curve has no rows or its first epoch's end is not recorded (epochs
     *     resumed from checkpoints written before the column)
     */
    public static Instant firstEpochStart(Table curve) {
        if (curve == null || curve.rowCount() == 0 || !curve.columnNames().contains("ended")
                || !curve.columnNames().contains("seconds")) {
            return null;
        }
        return epochStart(curve.stringColumn("ended").get(0), curve.numberColumn("seconds").getDouble(0));
    }

    /**
     * When an epoch began: its end minus its duration, to the millisecond.
     *
     * @param ended when it ended (ISO-8601 instant; null or empty: not recorded)
     * @param seconds how long it took
     * @return the instant, or null when the end is not recorded
     */
    public static Instant epochStart(String ended, double seconds) {
        if (ended == null || ended.isEmpty()) {
            return null;
        }
        return Instant.parse(ended).minusMillis(Math.round(seconds * 1000))
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /**
     * The earlier of two instants, either possibly null.
     *
     * @param a an instant or null
     * @param b an instant or null
     * @return the earlier, or the non-null one, or null
     */
    public static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    /**
     * Reads an entry.
     *
     * @param key the key
     * @return its value or {@code null}
     */
    public String get(String key) {
        return values.get(key);
    }

    /** @return an unmodifiable view of the entries */
    public Map<String, String> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /**
     * Attaches the resolved experiment (every configuration written out), so that the provenance can be run again
     * ({@code seqcl run provenance.json}).
     *
     * @param resolved the resolved experiment
     * @return this
     */
    public Provenance experiment(ExperimentFile resolved) {
        this.experiment = io.seqcl.config.Configs.toTree(resolved);
        put("experiment", resolved.name());
        return this;
    }

    /**
     * The provenance as structured JSON: {@code run} (when, how long, seed), {@code software} (versions, git
     * commit), {@code machine}, {@code dataset} (name, source, checksum, counts), {@code protocol} (the paper
     * protocol's entries {@code protocol.*}, see {@link PaperProtocol#provenance()}), {@code train} (settings),
     * {@code models} (each configuration) and {@code experiment} (the resolved experiment file, when attached).
     *
     * @return indented JSON
     */
    public String toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode root =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ObjectNode run = root.putObject("run");
        com.fasterxml.jackson.databind.node.ObjectNode software = root.putObject("software");
        com.fasterxml.jackson.databind.node.ObjectNode machine = root.putObject("machine");
        com.fasterxml.jackson.databind.node.ObjectNode data = root.putObject("dataset");
        com.fasterxml.jackson.databind.node.ObjectNode models = root.putObject("models");
        com.fasterxml.jackson.databind.node.ObjectNode protocol = root.putObject("protocol");
        values.forEach((k, v) -> {
            if (k.equals("protocol")) {
                protocol.put("paper", v);
            } else if (k.startsWith("protocol.")) {
                protocol.put(k.substring(9), v);
            } else if (k.startsWith("model.")) {
                models.put(k.substring(6), v);
            } else if (k.startsWith("dataset")) {
                data.put(k.equals("dataset") ? "name" : k.substring(8), v);
            } else if (k.endsWith("version") || k.equals("engine") || k.equals("git.commit")) {
                software.put(k, v);
            } else if (k.equals("device") || k.equals("os") || k.equals("cpu") || k.equals("cores")
                    || k.startsWith("max.heap")) {
                machine.put(k, v);
            } else {
                run.put(k, v);
            }
        });
        if (experiment != null) {
            root.set("experiment", experiment);
        }
        return io.seqcl.config.Configs.toJson(root);
    }

    /** @return the record as a two-column table (key, value) */
    public Table table() {
        StringColumn k = StringColumn.create("key");
        StringColumn v = StringColumn.create("value");
        values.forEach((a, b) -> {
            k.append(a);
            v.append(b);
        });
        return Table.create("provenance", k, v);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
