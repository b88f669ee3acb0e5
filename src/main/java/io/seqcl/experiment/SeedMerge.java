package io.seqcl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqcl.data.DataFormatException;
import io.seqcl.util.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges the result files of one seed written by two separate {@code seqcl run} processes into one seed directory,
 * so that a table's models that ran in different sittings, commits or machines are read back as one seed
 * ({@link RecordedResults}).
 *
 * <p>Why: a resumable run continues only from its own checkpoints. When a sitting's checkpoints are lost (a fresh
 * machine), the missing models can be run on their own ({@code seqcl run --model M ... --name <the experiment's
 * name> --seed S}) and their files merged into the seed directory that holds the finished models.
 *
 * <p>What it does, for a target directory {@code into} and a source {@code from}, both {@code seed-<S>/} directories
 * with {@code metrics.csv}, {@code curves.csv}, {@code provenance.csv} and {@code provenance.json}:
 * <ul>
 *   <li>refuses (naming the key and both files) unless dataset checksum, seed, experiment name, budget, protocol and
 *       training configuration are equal, and unless the two hold disjoint models;</li>
 *   <li>appends the source's metric and curve rows (headers must be equal);</li>
 *   <li>adds the source's per-model provenance entries ({@code model.M}, {@code input.M}, {@code epoch.seconds.M},
 *       {@code build.M}), sums {@code epoch.seconds}, counts {@code models.done} up, and records the source's own run
 *       (commit, start, machine, wall time) under {@code part.<models>.<key>} and in {@code parts}; the target's
 *       run-level entries stay those of its own run;</li>
 *   <li>writes every file atomically, the provenance files last.</li>
 * </ul>
 *
 * <p>A model may join under another row name ({@code rename}, e.g. a diagnostic run whose configuration is a table's
 * later row), and a run of another experiment may be accepted ({@code otherExperiment}: dataset, seed, budget,
 * protocol and training configuration must still be equal). Both are recorded: {@code part.<models>.renamed}
 * ("old as new") and {@code part.<models>.experiment} (the source's experiment name).
 */
public final class SeedMerge {

    /** Provenance keys that must be equal in both directories. */
    static final List<String> SAME = List.of("dataset.sha256", "seed", "experiment", "budget", "protocol.line",
            "train.config");

    /** Run-level provenance keys of the source kept under {@code part.<models>.}. */
    static final List<String> PART_KEYS = List.of("started", "sitting.started", "git.commit", "seqcl.version", "engine", "java.version",
            "os", "cpu", "cores", "max.heap.mb", "wall.seconds", "epoch.seconds");

    private static final String[] PER_MODEL = {"model.", "input.", "epoch.seconds.", "build."};

    private SeedMerge() {
    }

    /**
     * Merges {@code from} into {@code into}.
     *
     * @param into the seed directory that receives the models
     * @param from the seed directory of the separate run
     * @return the merged models, in the source's order
     * @throws IllegalArgumentException if the runs are not of the same experiment, seed and settings, or share a
     *     model
     * @throws DataFormatException if a file is malformed (file and line named)
     * @throws UncheckedIOException if a file cannot be read or written
     */
    public static List<String> merge(Path into, Path from) {
        return merge(into, from, Map.of(), false);
    }

    /**
     * Merges {@code from} into {@code into}, renaming models of the source and, if asked, accepting a run of another
     * experiment.
     *
     * @param into the seed directory that receives the models
     * @param from the seed directory of the separate run
     * @param rename source model name to the row name it takes in {@code into}; every key must be a model of the
     *     source
     * @param otherExperiment accept a source whose experiment name differs (recorded as
     *     {@code part.<models>.experiment})
     * @return the merged models under their names in {@code into}, in the source's order
     * @throws IllegalArgumentException if the runs are not of the same experiment (unless allowed), seed and settings,
     *     share a model after renaming, or a renamed model is not in the source
     * @throws DataFormatException if a file is malformed (file and line named)
     * @throws UncheckedIOException if a file cannot be read or written
     */
    public static List<String> merge(Path into, Path from, Map<String, String> rename, boolean otherExperiment) {
        try {
            Map<String, String> pa = RecordedResults.readProvenance(into.resolve("provenance.csv"));
            Map<String, String> pb = RecordedResults.readProvenance(from.resolve("provenance.csv"));
            for (String k : SAME) {
                if (otherExperiment && k.equals("experiment")) {
                    continue;
                }
                if (!String.valueOf(pa.get(k)).equals(String.valueOf(pb.get(k)))) {
                    throw new IllegalArgumentException("cannot merge " + from + " into " + into + ": provenance key '"
                            + k + "' differs (" + pa.get(k) + " against " + pb.get(k) + ")"
                            + (k.equals("experiment") ? "; --other-experiment accepts it" : ""));
                }
            }
            Path fa = into.resolve("metrics.csv");
            Path fb = from.resolve("metrics.csv");
            List<String> ma = rows(fa);
            List<String> mb = rows(fb);
            Set<String> modelsA = models(fa, ma);
            Set<String> sourceModels = models(fb, mb);
            if (sourceModels.isEmpty()) {
                throw new IllegalArgumentException(fb + " holds no model");
            }
            for (String old : rename.keySet()) {
                if (!sourceModels.contains(old)) {
                    throw new IllegalArgumentException("cannot rename " + old + ": " + fb
                            + " holds " + String.join(", ", sourceModels));
                }
            }
            if (!rename.isEmpty()) {
                mb = renamed(fb, mb, rename);
                pb = renamedKeys(pb, rename);
            }
            Set<String> modelsB = models(fb, mb);
            for (String m : modelsB) {
                if (modelsA.contains(m)) {
                    throw new IllegalArgumentException("cannot merge " + from + " into " + into + ": both hold model "
                            + m);
                }
            }
            List<String> ca = rows(into.resolve("curves.csv"));
            Path curvesB = from.resolve("curves.csv");
            List<String> cb = renamed(curvesB, rows(curvesB), rename);
            // curves written before the "ended" column (when each epoch ended) merge with newer ones, left empty
            ca = withEnded(ca, cb);
            cb = withEnded(cb, ca);
            sameHeader(into.resolve("metrics.csv"), ma, from.resolve("metrics.csv"), mb);
            sameHeader(into.resolve("curves.csv"), ca, curvesB, cb);

            String part = String.join("+", modelsB);
            Map<String, String> merged = new LinkedHashMap<>(pa);
            for (Map.Entry<String, String> e : pb.entrySet()) {
                if (perModel(e.getKey(), modelsB)) {
                    merged.put(e.getKey(), e.getValue());
                }
            }
            for (String k : PART_KEYS) {
                if (pb.containsKey(k)) {
                    merged.put("part." + part + "." + k, pb.get(k));
                }
            }
            if (!rename.isEmpty()) {
                List<String> r = new ArrayList<>();
                rename.forEach((o, n) -> r.add(o + " as " + n));
                merged.put("part." + part + ".renamed", String.join("; ", r));
            }
            if (!String.valueOf(pa.get("experiment")).equals(String.valueOf(pb.get("experiment")))) {
                merged.put("part." + part + ".experiment", pb.get("experiment"));
            }
            merged.put("parts", pa.containsKey("parts") ? pa.get("parts") + "; " + part : part);
            merged.put("epoch.seconds", seconds(sum(pa.get("epoch.seconds"), pb.get("epoch.seconds"))));
            merged.put("models.done", modelsDone(pa.get("models.done"), modelsB.size()));

            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Path ja = into.resolve("provenance.json");
            Path jb = from.resolve("provenance.json");
            ObjectNode a = (ObjectNode) json.readTree(Files.readString(ja, StandardCharsets.UTF_8));
            JsonNode b = json.readTree(Files.readString(jb, StandardCharsets.UTF_8));
            ObjectNode runA = (ObjectNode) a.with("run");
            b.path("run").fields().forEachRemaining(f -> {
                String key = renamedKey(f.getKey(), rename);
                if (perModel(key, modelsB)) {
                    runA.set(key, f.getValue());
                }
            });
            runA.put("epoch.seconds", merged.get("epoch.seconds"));
            runA.put("models.done", merged.get("models.done"));
            ObjectNode modelsNode = a.with("models");
            b.path("models").fields().forEachRemaining(
                    f -> modelsNode.set(rename.getOrDefault(f.getKey(), f.getKey()), f.getValue()));
            ObjectNode parts = a.with("parts");
            ObjectNode p = parts.putObject(part);
            for (String k : PART_KEYS) {
                if (pb.containsKey(k)) {
                    p.put(k, pb.get(k));
                }
            }
            for (String k : List.of("renamed", "experiment")) {
                String v = merged.get("part." + part + "." + k);
                if (v != null) {
                    p.put(k, v);
                }
            }

            List<String> metrics = new ArrayList<>(ma);
            metrics.addAll(mb.subList(1, mb.size()));
            List<String> curves = new ArrayList<>(ca);
            curves.addAll(cb.subList(1, cb.size()));
            AtomicFiles.writeString(into.resolve("metrics.csv"), lines(metrics));
            AtomicFiles.writeString(into.resolve("curves.csv"), lines(curves));
            AtomicFiles.writeString(ja, json.writeValueAsString(a) + "\n");
            AtomicFiles.writeString(into.resolve("provenance.csv"), RunResult.csv(Provenance.of(merged).table()));
            return List.copyOf(modelsB);
        } catch (IOException e) {
            throw new UncheckedIOException("could not merge " + from + " into " + into + ": " + e.getMessage(), e);
        }
    }

    private static boolean perModel(String key, Set<String> models) {
        for (String prefix : PER_MODEL) {
            if (key.startsWith(prefix) && models.contains(key.substring(prefix.length()))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> rows(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist (not a seed directory of seqcl run?)");
        }
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(line);
            }
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(file, 1, "empty file: a header line is needed");
        }
        return rows;
    }

    /** The models of a metrics file's rows (the first field, a quoted CSV field where Tablesaw quoted it). */
    private static Set<String> models(Path file, List<String> metricRows) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 1; i < metricRows.size(); i++) {
            out.add(RecordedResults.fields(file, i + 1, metricRows.get(i)).get(0));
        }
        return out;
    }

    /** A CSV field as Tablesaw writes it: quoted when it holds a comma, a quote or a line break. */
    static String quote(String field) {
        return field.contains(",") || field.contains("\"") || field.contains("\n")
                ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    /** Rows with the first field (the model) renamed, written again as Tablesaw writes a row; the header stays. */
    private static List<String> renamed(Path file, List<String> rows, Map<String, String> rename) {
        if (rename.isEmpty()) {
            return rows;
        }
        List<String> out = new ArrayList<>(rows.size());
        out.add(rows.get(0));
        for (int i = 1; i < rows.size(); i++) {
            List<String> f = RecordedResults.fields(file, i + 1, rows.get(i));
            if (!rename.containsKey(f.get(0))) {
                out.add(rows.get(i));
                continue;
            }
            List<String> q = new ArrayList<>(f.size());
            q.add(quote(rename.get(f.get(0))));
            f.subList(1, f.size()).forEach(x -> q.add(quote(x)));
            out.add(String.join(",", q));
        }
        return out;
    }

    private static Map<String, String> renamedKeys(Map<String, String> provenance, Map<String, String> rename) {
        Map<String, String> out = new LinkedHashMap<>();
        provenance.forEach((k, v) -> out.put(renamedKey(k, rename), v));
        return out;
    }

    /** {@code model.OLD} (and the other per-model keys) as {@code model.NEW}; other keys unchanged. */
    private static String renamedKey(String key, Map<String, String> rename) {
        for (String prefix : PER_MODEL) {
            if (key.startsWith(prefix) && rename.containsKey(key.substring(prefix.length()))) {
                return prefix + rename.get(key.substring(prefix.length()));
            }
        }
        return key;
    }

    /** @return {@code rows} with an empty trailing "ended" column when {@code other} has it and they do not */
    private static List<String> withEnded(List<String> rows, List<String> other) {
        if (!other.get(0).equals(rows.get(0) + ",ended")) {
            return rows;
        }
        List<String> out = new ArrayList<>(rows.size());
        out.add(other.get(0));
        for (String r : rows.subList(1, rows.size())) {
            out.add(r + ",");
        }
        return out;
    }

    private static void sameHeader(Path fa, List<String> a, Path fb, List<String> b) {
        if (!a.get(0).equals(b.get(0))) {
            throw new DataFormatException(fb, 1, "header '" + b.get(0) + "' differs from " + fa + "'s '" + a.get(0)
                    + "'");
        }
    }

    private static double sum(String a, String b) {
        return parse(a) + parse(b);
    }

    private static double parse(String v) {
        try {
            return v == null ? 0 : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f", s);
    }

    /** "4 of 5" plus 1 gives "5 of 5"; without a total, just the count. */
    static String modelsDone(String done, int added) {
        if (done == null) {
            return Integer.toString(added);
        }
        String[] p = done.trim().split(" of ");
        try {
            int n = Integer.parseInt(p[0].trim()) + added;
            return p.length == 2 ? n + " of " + p[1].trim() : Integer.toString(n);
        } catch (NumberFormatException e) {
            return done + " + " + added;
        }
    }

    private static String lines(List<String> rows) {
        return String.join("\n", rows) + "\n";
    }
}
