package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;

/**
 * The token layout of one batch for packed execution (issue 11): which positions of the {@code [B, T]} grid
 * are computed, built once per batch from its lengths, padding side and items, plus the batch's additive
 * attention mask.
 *
 * <p>In the <em>packed</em> layout a batch's states are a {@code [N, w]} matrix holding only its active
 * positions (row-major: row 0's positions in increasing {@code t}, then row 1's, ...); the per-token layers
 * (embedding LayerNorm and dropout, projections, feed-forward, LayerNorms) run on it, and attention rebuilds
 * {@code [B, T, w]} with {@link #unpack} (zero rows at inactive positions) and returns with {@link #pack}. Both
 * are differentiable gathers (no in-place scatter). In the <em>padded</em> layout ({@link #packed()} false)
 * states are {@code [B, T, w]} and {@link #pack}/{@link #unpack} are identities, which is the reference path.
 *
 * <p>Exactness: the active positions are the real ones ({@link Batch#lengths()} on the non-padding side). A
 * row is made fully active (all {@code T} positions, padding included, exactly as in the padded path) when
 * its padding positions could influence an output the caller reads: its length is 0; a read position has no
 * allowed key (all items up to it are 0: such a query attends over all {@code T} keys, padding included,
 * sasrec_backbone.md A.2, e.g. an MCLRec view whose items were masked to 0; the position's own output is then
 * different from the padded path's, but it is never a key for another position since its item is 0, so only
 * reading it matters); it holds a nonzero item outside its real range; it has a target outside its real range;
 * or the caller reads all positions (ContrastVAE's KL and pooling over padding). Which positions are read:
 * {@link #causal(NDManager, Batch, boolean)} the last real position and the targets,
 * {@link #causal(NDManager, Batch, boolean, boolean)} every real position (or every position). Every inactive
 * position holds item 0, is a masked key (weight exactly 0 after the softmax) and is never read, so packed and
 * padded execution compute the same numbers at every read position.
 */
public final class Packing {

    private static final java.util.concurrent.atomic.AtomicLong PREPARATION = new java.util.concurrent.atomic.AtomicLong();

    private final NDManager manager;
    private final int[][] items;
    private final boolean causal;
    private final boolean packed;
    private final int rows;
    private final int len;
    private final int tokens;
    private final int[] tokenFlat;
    private final int[] slot;
    private final int[] lastIndex;
    private final int[] activeFrom;
    private final int[] activeLen;
    private NDArray mask;
    private java.util.List<Group> groups;
    private NDArray regroupIdx;
    private NDArray packIdx;
    private NDArray unpackIdx;

    /** Which outputs of a row the caller reads (decides when a row must be computed in full). */
    private enum Reads {
        /** Only the last real position and the target positions (next-item losses, scores, last-state views). */
        LAST_AND_TARGETS,
        /** Every real position (pooling or KL over real positions). */
        REAL_POSITIONS,
        /** Every position, padding included. */
        ALL_POSITIONS
    }

    private Packing(NDManager manager, Batch batch, boolean causal, boolean packed, Reads reads) {
        long t0 = System.nanoTime();
        this.manager = manager;
        this.items = batch.items();
        this.causal = causal;
        this.packed = packed;
        this.rows = batch.size();
        this.len = batch.maxLen();
        int t = len;
        boolean[] full = new boolean[rows];
        int count = 0;
        lastIndex = new int[rows];
        for (int b = 0; b < rows; b++) {
            int l = batch.lengths()[b];
            if (l < 0 || l > t) {
                throw new IllegalArgumentException("row " + b + " has length " + l + " outside [0, " + t + "]");
            }
            lastIndex[b] = batch.lastIndex(b);
            int from = batch.padding() == Padding.RIGHT ? 0 : t - l;
            boolean f = reads == Reads.ALL_POSITIONS || l == 0 || !packed;
            int[] row = items[b];
            if (!f) {
                // a read query without an allowed key attends over all T keys, padding included
                int first = from;
                while (first < from + l && row[first] == 0) {
                    first++;
                }
                if (first == from + l) {
                    f = true;
                } else if (causal && first > from) {
                    if (reads == Reads.REAL_POSITIONS) {
                        f = true;
                    } else {
                        f = lastIndex[b] < first;
                        int[] tr = batch.targets() == null ? null : batch.targets()[b];
                        for (int p = from; p < first && !f && tr != null; p++) {
                            f = tr[p] != 0;
                        }
                    }
                }
            }
            for (int p = 0; p < t && !f; p++) {
                boolean inside = p >= from && p < from + l;
                if (!inside && (row[p] != 0 || (batch.targets() != null && batch.targets()[b][p] != 0))) {
                    f = true;
                }
            }
            full[b] = f;
            count += f ? t : l;
        }
        tokens = count;
        activeFrom = new int[rows];
        activeLen = new int[rows];
        tokenFlat = new int[count];
        slot = new int[rows * t];
        java.util.Arrays.fill(slot, -1);
        int k = 0;
        for (int b = 0; b < rows; b++) {
            int l = batch.lengths()[b];
            int from = full[b] ? 0 : batch.padding() == Padding.RIGHT ? 0 : t - l;
            int to = full[b] ? t : from + l;
            activeFrom[b] = from;
            activeLen[b] = to - from;
            for (int p = from; p < to; p++) {
                tokenFlat[k] = b * t + p;
                slot[b * t + p] = packed ? k : b * t + p;
                k++;
            }
        }
        if (!packed) {
            for (int i = 0; i < slot.length; i++) {
                slot[i] = i;
            }
        }
        PREPARATION.addAndGet(System.nanoTime() - t0);
    }

    /**
     * The layout of a batch for a causal encoder (causal + key-padding mask).
     *
     * @param manager where to create the mask and index arrays (the step's manager)
     * @param batch the batch
     * @param packed packed execution, or the padded reference layout
     * @return the layout
     */
    public static Packing causal(NDManager manager, Batch batch, boolean packed) {
        return new Packing(manager, batch, true, packed, Reads.LAST_AND_TARGETS);
    }

    /**
     * The layout of a batch for a causal encoder whose outputs are read at every real position (pooling or KL over
     * real positions), or with {@code allPositions} at every position, padding included (ContrastVAE's KL and
     * pooling over all {@code T} positions: then every position is active).
     *
     * @param manager where to create arrays
     * @param batch the batch
     * @param packed packed execution (then a {@code [N, w]} matrix), or padded
     * @param allPositions whether padding positions are read too
     * @return the layout
     */
    public static Packing causal(NDManager manager, Batch batch, boolean packed, boolean allPositions) {
        return new Packing(manager, batch, true, packed, allPositions ? Reads.ALL_POSITIONS : Reads.REAL_POSITIONS);
    }

    /**
     * The layout of a batch for bidirectional attention (key-padding mask only).
     *
     * @param manager where to create arrays
     * @param batch the batch
     * @param packed packed execution, or padded
     * @return the layout
     */
    public static Packing bidirectional(NDManager manager, Batch batch, boolean packed) {
        return new Packing(manager, batch, false, packed, Reads.REAL_POSITIONS);
    }

    /** @return whether states are packed {@code [N, w]} (else padded {@code [B, T, w]}) */
    public boolean packed() {
        return packed;
    }

    /** @return B */
    public int rows() {
        return rows;
    }

    /** @return T */
    public int maxLen() {
        return len;
    }

    /** @return the number N of active positions (B*T in the padded layout) */
    public int tokens() {
        return packed ? tokens : rows * len;
    }

    /** @return whether the packed layout is the whole grid (then pack and unpack are reshapes) */
    private boolean identity() {
        return tokens == rows * len;
    }

    /** @return the additive self-attention mask {@code [B, 1, T, T]} of the batch's items (made once) */
    public NDArray mask() {
        if (mask == null) {
            long t0 = System.nanoTime();
            // 10000 * allowed - 10000: exactly the 0 / -10000 of AttentionMask, built by libtorch from the key flags
            float[] key = new float[rows * len];
            for (int b = 0; b < rows; b++) {
                for (int p = 0; p < len; p++) {
                    key[b * len + p] = items[b][p] != 0 ? 1f : 0f;
                }
            }
            mask = maskOf(key, rows, len);
            PREPARATION.addAndGet(System.nanoTime() - t0);
        }
        return mask;
    }

    /**
     * The row of {@link #mask()} at each row's last real position, the only query read when scoring
     * ({@link TransformerStack#forwardLast}): 0 for an allowed key, {@link AttentionMask#MASKED} otherwise.
     *
     * @return {@code [B, 1, 1, T]}
     */
    public NDArray lastQueryMask() {
        long t0 = System.nanoTime();
        float[] row = new float[rows * len];
        float masked = (float) AttentionMask.MASKED;
        for (int b = 0; b < rows; b++) {
            for (int p = 0; p < len; p++) {
                boolean allowed = items[b][p] != 0 && (!causal || p <= lastIndex[b]);
                row[b * len + p] = allowed ? 0f : masked;
            }
        }
        NDArray m = manager.create(row, new Shape(rows, 1, 1, len));
        PREPARATION.addAndGet(System.nanoTime() - t0);
        return m;
    }

    /** @return nanoseconds spent building layouts and masks in Java since the last reset (benchmarks) */
    public static long preparationNanos() {
        return PREPARATION.get();
    }

    /** Resets {@link #preparationNanos()}. */
    public static void resetPreparationNanos() {
        PREPARATION.set(0);
    }

    /**
     * Rows of similar active length attended together on a {@code [B_g, T_g, T_g]} grid (packed layout only).
     *
     * @param rows the rows of the group
     * @param len the grid length T_g (the longest active length among them)
     * @param gather for each grid cell, its token, or N (the zero row) for an empty cell
     * @param mask additive mask {@code [B_g, 1, T_g, T_g]}
     */
    record Group(int[] rows, int len, NDArray gather, NDArray mask) {
    }

    /**
     * Upper ends of the attention length buckets; rows are grouped by the bucket of their active length. The
     * system property {@code seqcl.attentionBuckets} (comma-separated ends, or {@code none} for one grid) overrides
     * them for benchmarks.
     */
    private static final int[] BUCKETS = buckets(System.getProperty("seqcl.attentionBuckets", "4,8,12,16,24,32,48"));

    private static int[] buckets(String spec) {
        if (spec.isBlank() || spec.trim().equals("none")) {
            return new int[0];
        }
        try {
            return java.util.Arrays.stream(spec.split(",")).map(String::trim).mapToInt(Integer::parseInt).sorted()
                    .toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seqcl.attentionBuckets must be 'none' or comma-separated integers, got '"
                    + spec + "'", e);
        }
    }

    /**
     * The attention groups of the packed layout: rows bucketed by active length, each bucket on its own grid whose
     * length is its longest row. A row keeps its tokens in order and their causal and key-padding structure
     * (tokens at the start of the grid for right padding, at its end for left padding; empty cells are masked keys
     * and dropped queries), so attention over the group grid equals attention over the row's full T positions.
     *
     * @return the groups, made once
     */
    java.util.List<Group> groups() {
        if (groups != null) {
            return groups;
        }
        long t0 = System.nanoTime();
        int nb = BUCKETS.length + 1;
        int[] bucketOf = new int[rows];
        int[] size = new int[nb];
        int[] longest = new int[nb];
        for (int b = 0; b < rows; b++) {
            int l = activeLen[b];
            int k = 0;
            while (k < BUCKETS.length && l > BUCKETS[k]) {
                k++;
            }
            bucketOf[b] = k;
            size[k]++;
            longest[k] = Math.max(longest[k], l);
        }
        groups = new java.util.ArrayList<>();
        long[] regroup = new long[tokens];
        long base = 0;
        for (int k = 0; k < nb; k++) {
            if (size[k] == 0 || longest[k] == 0) {
                continue;
            }
            int tg = longest[k];
            int[] members = new int[size[k]];
            long[] gather = new long[size[k] * tg];
            float[] key = new float[size[k] * tg];
            java.util.Arrays.fill(gather, tokens);
            int m = 0;
            for (int b = 0; b < rows; b++) {
                if (bucketOf[b] != k) {
                    continue;
                }
                members[m] = b;
                int l = activeLen[b];
                int shift = causalRight(b) ? 0 : tg - l;
                for (int i = 0; i < l; i++) {
                    int p = activeFrom[b] + i;
                    int cell = m * tg + shift + i;
                    int tok = slot[b * len + p];
                    gather[cell] = tok;
                    key[cell] = items[b][p] != 0 ? 1f : 0f;
                    regroup[tok] = base + cell;
                }
                m++;
            }
            base += (long) size[k] * tg;
            groups.add(new Group(members, tg, manager.create(gather), maskOf(key, size[k], tg)));
        }
        regroupIdx = manager.create(regroup);
        PREPARATION.addAndGet(System.nanoTime() - t0);
        return groups;
    }

    /** Whether row b's active tokens sit at the start of its grid (right padding or a full row). */
    private boolean causalRight(int b) {
        return activeFrom[b] == 0;
    }

    /** @return for each token, its row in the concatenation of the groups' flattened grids */
    NDArray regroupIndex() {
        groups();
        return regroupIdx;
    }

    /** The additive mask of a grid from its key flags ({@code [B_g * T_g]}, 1 = nonzero item). */
    private NDArray maskOf(float[] key, int b, int t) {
        NDArray allowed = manager.create(key, new Shape(b, 1, 1, t));
        if (causal) {
            float[] tri = new float[t * t];
            for (int q = 0; q < t; q++) {
                for (int k = 0; k <= q; k++) {
                    tri[q * t + k] = 1f;
                }
            }
            allowed = allowed.mul(manager.create(tri, new Shape(t, t)));
        } else {
            allowed = allowed.repeat(2, t);
        }
        return allowed.mul(manager.create(-AttentionMask.MASKED)).add(manager.create(AttentionMask.MASKED));
    }

    /**
     * The index of position {@code (b, p)} in the layout's rows ({@code b*T+p} when padded).
     *
     * @param b row
     * @param p position
     * @return the row of the flattened layout
     * @throws IllegalStateException if the position is not active
     */
    public int slot(int b, int p) {
        int s = slot[b * len + p];
        if (s < 0) {
            throw new IllegalStateException("position " + p + " of row " + b + " is padding and was not computed");
        }
        return s;
    }

    /** @return for each active token, its item id in the batch the layout was built from */
    public long[] tokenIds() {
        return tokenIds(items);
    }

    /**
     * Item ids at the active positions of another batch of the same shape and lengths (e.g. a reordered view).
     *
     * @param other items {@code [B][T]}
     * @return one id per token (B*T in padded order when not packed)
     */
    public long[] tokenIds(int[][] other) {
        long[] ids = new long[tokens()];
        if (!packed) {
            for (int b = 0; b < rows; b++) {
                for (int p = 0; p < len; p++) {
                    ids[b * len + p] = other[b][p];
                }
            }
            return ids;
        }
        for (int i = 0; i < tokens; i++) {
            ids[i] = other[tokenFlat[i] / len][tokenFlat[i] % len];
        }
        return ids;
    }

    /** @return for each active token, its position index t (B*T in padded order when not packed) */
    public long[] tokenPositions() {
        long[] pos = new long[tokens()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = (packed ? tokenFlat[i] : i) % len;
        }
        return pos;
    }

    /**
     * Packs padded states.
     *
     * @param x {@code [B, T, w]}
     * @return {@code [N, w]} in the packed layout, {@code x} itself in the padded one
     */
    public NDArray pack(NDArray x) {
        if (!packed) {
            return x;
        }
        long w = x.getShape().get(x.getShape().dimension() - 1);
        NDArray flat = x.reshape((long) rows * len, w);
        if (identity()) {
            return flat;
        }
        if (packIdx == null) {
            long[] idx = new long[tokens];
            for (int i = 0; i < tokens; i++) {
                idx[i] = tokenFlat[i];
            }
            packIdx = manager.create(idx);
        }
        return Ops.rows(flat, packIdx);
    }

    /**
     * Rebuilds padded states, with zero rows at inactive positions.
     *
     * @param x {@code [N, w]} (packed layout) or {@code [B, T, w]} (padded; returned as is)
     * @return {@code [B, T, w]}
     */
    public NDArray unpack(NDArray x) {
        if (!packed) {
            return x;
        }
        long w = x.getShape().get(1);
        if (identity()) {
            return x.reshape(rows, len, w);
        }
        if (unpackIdx == null) {
            long[] idx = new long[rows * len];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = slot[i] < 0 ? tokens : slot[i];
            }
            unpackIdx = manager.create(idx);
        }
        NDArray withZero = NDArrays.concat(new ai.djl.ndarray.NDList(x, x.getManager().zeros(new Shape(1, w),
                x.getDataType())), 0);
        return Ops.rows(withZero, unpackIdx).reshape(rows, len, w);
    }

    /**
     * Flattens states of this layout to one row per slot ({@code [N, w]} or {@code [B*T, w]}).
     *
     * @param x states in this layout
     * @return the 2-d view
     */
    public NDArray flat(NDArray x) {
        Shape s = x.getShape();
        return s.dimension() == 2 ? x : x.reshape(-1, s.get(s.dimension() - 1));
    }

    /**
     * Gathers the states at given slots ({@link #slot}).
     *
     * @param x states in this layout
     * @param slots slot indices
     * @return {@code [slots.length, w]}
     */
    public NDArray gather(NDArray x, long[] slots) {
        return Ops.rows(flat(x), slots);
    }

    /**
     * Each row's state at its last real position ({@link Batch#lastIndex(int)}), for rows {@code from..to-1}.
     *
     * @param x states in this layout
     * @param from first row
     * @param to end row (exclusive)
     * @return {@code [to - from, w]}
     */
    public NDArray last(NDArray x, int from, int to) {
        long[] s = new long[to - from];
        for (int b = from; b < to; b++) {
            s[b - from] = slot(b, lastIndex[b]);
        }
        return gather(x, s);
    }

    /**
     * Each row's state at its last real position.
     *
     * @param x states in this layout
     * @return {@code [B, w]}
     */
    public NDArray last(NDArray x) {
        return last(x, 0, rows);
    }

    /**
     * A 0/1 mask over this layout's slots: 1 where the item of the batch is nonzero ({@link PositionMask#fromItems}
     * restricted to the active positions).
     *
     * @return {@code [N]} in the packed layout, {@code [B, T]} in the padded one
     */
    public NDArray nonzeroItems() {
        if (!packed) {
            return PositionMask.fromItems(manager, items);
        }
        float[] w = new float[tokens];
        for (int i = 0; i < tokens; i++) {
            w[i] = items[tokenFlat[i] / len][tokenFlat[i] % len] != 0 ? 1f : 0f;
        }
        return manager.create(w);
    }

    /**
     * Moves states from one layout of a batch to another layout of the same batch (e.g. from an all-positions
     * encoder to a real-positions decoder).
     *
     * @param x states in {@code from}'s layout
     * @param from their layout
     * @return the states in this layout
     */
    public NDArray from(NDArray x, Packing from) {
        if (from == this) {
            return x;
        }
        return pack(from.unpack(x));
    }
}
