package io.seqcl.train;

import io.seqcl.Version;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.protocol.LeaveOneOutSplit;

import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that determines a training run, as named string fields; a checkpoint stores the key of the run that
 * wrote it and a resume compares it field by field (see {@link Trainer#withCheckpoint(java.nio.file.Path)}).
 *
 * <p>Fields: {@code library.version}; {@code model} and {@code model.config.*} (one field per record component
 * of the model configuration, or {@code model.config} when it is not a record); {@code train.*} (every
 * component of {@link TrainConfig} except {@code epochs}, so that a run may be extended or shortened;
 * {@code train.seed} included; {@code tieBreak} and {@code shards} only when set, so that older checkpoints
 * match); {@code dataset.name}, {@code dataset.sha256} (file checksum), {@code
 * dataset.content} (SHA-256 of the split's users and training, validation and test items, so that a noisy split
 * or another file differs), {@code dataset.users}, {@code dataset.items}, {@code dataset.interactions}; and
 * {@code protocol}, the evaluation protocol ({@value #DEFAULT_PROTOCOL} unless the caller names it with
 * {@link Trainer#withProtocol(String)}).
 *
 * @param fields the fields in a stable order
 */
public record RunKey(Map<String, String> fields) {

    /** The protocol recorded when the caller names none. */
    public static final String DEFAULT_PROTOCOL = "leave-one-out";

    /**
     * Copies the fields.
     *
     * @param fields the fields
     */
    public RunKey {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * Settings a resumed run may change, ignored when comparing keys (also in checkpoints written when they were
     * keyed): the epoch budget, and the users scored per evaluation call, which changes no rank (each user's scores
     * are computed independently of the other users in the call).
     */
    static final java.util.Set<String> UNKEYED = java.util.Set.of("train.epochs", "train.evalBatchSize");

    /**
     * Fields added to a configuration after checkpoints were written without them, with the value those runs had:
     * an absent field in a checkpoint matches that value (so {@code --resume} accepts the older checkpoint) and
     * nothing else. Meta-SGCL's {@code klOverSlots} came on 2026-12-02, ContrastVAE's on 2026-12-03; earlier
     * runs averaged over real positions or, with {@code klOverPadding}, over all positions.
     */
    static final Map<String, String> ADDED_LATER = Map.of("model.config.klOverSlots", "false");

    /**
     * Builds the key of a run.
     *
     * @param model the model
     * @param config the training settings
     * @param split the data
     * @param protocol the evaluation protocol
     * @return the key
     */
    public static RunKey of(SequentialRecommender model, TrainConfig config, LeaveOneOutSplit split, String protocol) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("library.version", Version.V);
        f.put("model", model.name());
        putComponents(f, "model.config", model.config());
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            if (!UNKEYED.contains("train." + c.getName())
                    && !(c.getName().equals("tieBreak") && config.tieBreak() == null)
                    && !(c.getName().equals("shards") && config.shards() == 1)) {
                f.put("train." + c.getName(), valueOf(read(c, config)));
            }
        }
        SequenceDataset d = split.dataset();
        f.put("dataset.name", d.name());
        f.put("dataset.sha256", String.valueOf(d.sha256()));
        f.put("dataset.content", fingerprint(split));
        f.put("dataset.users", String.valueOf(d.numUsers()));
        f.put("dataset.items", String.valueOf(d.numItems()));
        f.put("dataset.interactions", String.valueOf(d.numInteractions()));
        f.put("protocol", Objects.requireNonNullElse(protocol, DEFAULT_PROTOCOL));
        return new RunKey(f);
    }

    /**
     * Lists the fields that differ from another key.
     *
     * @param other the key stored in a checkpoint
     * @return one entry per differing field, e.g. {@code "train.seed: checkpoint 5, now 6"}; empty if equal
     */
    public List<String> differences(RunKey other) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (UNKEYED.contains(e.getKey())) {
                continue;
            }
            String theirs = other.fields.get(e.getKey());
            if (theirs == null && e.getValue().equals(ADDED_LATER.get(e.getKey()))) {
                continue;
            }
            if (!e.getValue().equals(theirs)) {
                out.add(e.getKey() + ": checkpoint " + (theirs == null ? "(absent)" : excerpt(theirs, e.getValue()))
                        + ", now " + (theirs == null ? shorten(e.getValue()) : excerpt(e.getValue(), theirs)));
            }
        }
        for (String k : other.fields.keySet()) {
            if (!fields.containsKey(k) && !UNKEYED.contains(k)
                    && !other.fields.get(k).equals(ADDED_LATER.get(k))) {
                out.add(k + ": checkpoint " + shorten(other.fields.get(k)) + ", now (absent)");
            }
        }
        return out;
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /**
     * The part of a long value where it differs from another (the common start and end cut to 30 characters each
     * side of the difference), so that a message names what changed in a long configuration string.
     */
    static String excerpt(String s, String other) {
        if (s.length() <= 120 && other.length() <= 120) {
            return s;
        }
        int p = 0;
        while (p < s.length() && p < other.length() && s.charAt(p) == other.charAt(p)) {
            p++;
        }
        int q = 0;
        while (q < s.length() - p && q < other.length() - p
                && s.charAt(s.length() - 1 - q) == other.charAt(other.length() - 1 - q)) {
            q++;
        }
        int from = Math.max(0, p - 30);
        int to = Math.min(s.length(), s.length() - q + 30);
        String mid = s.substring(from, to);
        if (mid.length() > 120) {
            mid = mid.substring(0, 117) + "...";
        }
        return (from > 0 ? "..." : "") + mid + (to < s.length() && !mid.endsWith("...") ? "..." : "");
    }

    private static void putComponents(Map<String, String> f, String prefix, Object config) {
        if (config != null && config.getClass().isRecord()) {
            for (RecordComponent c : config.getClass().getRecordComponents()) {
                f.put(prefix + "." + c.getName(), valueOf(read(c, config)));
            }
        } else {
            f.put(prefix, String.valueOf(config));
        }
    }

    private static Object read(RecordComponent c, Object record) {
        try {
            java.lang.reflect.Method m = c.getAccessor();
            m.setAccessible(true);
            return m.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "<unreadable: " + e + ">";
        }
    }

    private static String valueOf(Object v) {
        if (v instanceof int[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof long[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof double[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof float[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        return String.valueOf(v);
    }

    private static String fingerprint(LeaveOneOutSplit split) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < split.numUsers(); i++) {
            int[] s = split.trainSequence(i);
            putInt(md, buf, split.datasetUser(i));
            putInt(md, buf, s.length);
            for (int x : s) {
                putInt(md, buf, x);
            }
        }
        for (io.seqcl.protocol.EvalSet e : List.of(split.valid(), split.test())) {
            int[] users = e.users();
            int[] targets = e.targets();
            int[][] inputs = e.inputs();
            putInt(md, buf, users.length);
            for (int r = 0; r < users.length; r++) {
                putInt(md, buf, users[r]);
                putInt(md, buf, targets[r]);
                putInt(md, buf, inputs[r].length);
                for (int x : inputs[r]) {
                    putInt(md, buf, x);
                }
            }
        }
        buf.flip();
        md.update(buf);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void putInt(MessageDigest md, ByteBuffer buf, int v) {
        if (buf.remaining() < 4) {
            buf.flip();
            md.update(buf);
            buf.clear();
        }
        buf.putInt(v);
    }
}
