package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.seqcl.nn.Packing;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;

/**
 * The SASRec encoder as used by CL4SRec, DuoRec and MCLRec: an optional mask-token row after the N items, one
 * fused encoder pass over several batches (original input and its views), and the next-item loss and scores over
 * the item rows 0..N only. Package-private helper; the Transformer itself is {@link SASRec}'s.
 */
final class ContrastiveEncoder {

    private final int numItems;
    private final SASRec sasrec;
    private final boolean maskRow;

    /** Hidden states of several batches encoded in one pass. */
    static final class Encoded {
        private final NDArray states;
        private final Packing packing;
        private final Batch[] batches;
        private final int[] offsets;
        private NDArray padded;

        private Encoded(NDArray states, Packing packing, Batch[] batches) {
            this.states = states;
            this.packing = packing;
            this.batches = batches;
            this.offsets = new int[batches.length + 1];
            for (int i = 0; i < batches.length; i++) {
                offsets[i + 1] = offsets[i] + batches[i].size();
            }
        }

        /**
         * @param i batch index
         * @return its hidden states {@code [B_i, T, d]}
         */
        NDArray hidden(int i) {
            if (padded == null) {
                padded = packing.unpack(states);
            }
            if (batches.length == 1) {
                return padded;
            }
            return padded.get(new NDIndex(offsets[i] + ":" + offsets[i + 1]));
        }

        /**
         * @param i batch index
         * @return its last-position states {@code [B_i, d]}
         */
        NDArray last(int i) {
            return packing.last(states, offsets[i], offsets[i + 1]);
        }
    }

    ContrastiveEncoder(int numItems, SASRecConfig config, MaskToken maskToken, long seed, Params store) {
        if (numItems < 1) {
            throw new IllegalArgumentException("numItems must be >= 1, got " + numItems);
        }
        this.numItems = numItems;
        this.maskRow = maskToken == MaskToken.MASK_ITEM;
        this.sasrec = new SASRec(maskRow ? numItems + 1 : numItems, config, seed, store);
    }

    SASRec sasrec() {
        return sasrec;
    }

    Params params() {
        return sasrec.params();
    }

    /** @return the item rows 0..N used as softmax classes and scored candidates */
    NDArray outputTable() {
        NDArray t = sasrec.itemEmbedding();
        return maskRow ? t.get(new NDIndex("0:" + (numItems + 1))) : t;
    }

    /**
     * Encodes several batches of the same T and padding in one pass (independent dropout per row).
     *
     * @param training whether dropout is active
     * @param batches the batches
     * @return the states
     */
    Encoded encode(boolean training, Batch... batches) {
        if (batches.length == 1) {
            Packing p = sasrec.packing(batches[0]);
            return new Encoded(sasrec.encode(batches[0], p, training), p, batches);
        }
        int total = 0;
        for (Batch b : batches) {
            total += b.size();
        }
        int[][] items = new int[total][];
        int[] lengths = new int[total];
        int[] users = new int[total];
        int[][] targets = new int[total][];
        int k = 0;
        for (Batch b : batches) {
            if (b.padding() != batches[0].padding() || b.maxLen() != batches[0].maxLen()) {
                throw new IllegalArgumentException("fused batches must share T and padding");
            }
            for (int r = 0; r < b.size(); r++) {
                items[k] = b.items()[r];
                lengths[k] = b.lengths()[r];
                users[k] = b.users()[r];
                targets[k] = b == batches[0] && b.targets() != null ? b.targets()[r] : new int[b.maxLen()];
                k++;
            }
        }
        Batch all = new Batch(items, targets, null, lengths, users, batches[0].padding());
        Packing p = sasrec.packing(all);
        return new Encoded(sasrec.encode(all, p, training), p, batches);
    }

    /**
     * Encodes several batches of the same T and padding in one pass and returns their padded states
     * {@code [sum B_i, T, d]} in batch order (the CoSeRec family's sequence representations): with
     * {@code allPositions} every position is computed, padding included, exactly as in the padded path; otherwise
     * only real positions (padding rows are zero in the packed layout).
     *
     * @param training whether dropout is active
     * @param allPositions whether the padding positions' states are needed
     * @param batches the batches (targets are ignored)
     * @return padded states
     */
    NDArray states(boolean training, boolean allPositions, Batch... batches) {
        Batch all = batches.length == 1 ? batches[0] : concat(batches);
        Packing p = sasrec.packing(all, allPositions);
        return p.unpack(sasrec.encode(all, p, training));
    }

    /**
     * One batch holding the rows of several (targets dropped).
     *
     * @param batches batches of the same T and padding
     * @return the concatenation
     */
    static Batch concat(Batch... batches) {
        int total = 0;
        for (Batch b : batches) {
            if (b.padding() != batches[0].padding() || b.maxLen() != batches[0].maxLen()) {
                throw new IllegalArgumentException("concatenated batches must share T and padding");
            }
            total += b.size();
        }
        int[][] items = new int[total][];
        int[] lengths = new int[total];
        int[] users = new int[total];
        int k = 0;
        for (Batch b : batches) {
            for (int r = 0; r < b.size(); r++) {
                items[k] = b.items()[r];
                lengths[k] = b.lengths()[r];
                users[k] = b.users()[r];
                k++;
            }
        }
        return new Batch(items, null, null, lengths, users, batches[0].padding());
    }

    NDArray recLoss(NDArray hidden, Batch batch) {
        return sasrec.recLoss(hidden, batch, outputTable());
    }

    /**
     * The next-item loss of the {@code i}-th batch of a fused pass, read from its states in their layout.
     *
     * @param e the pass
     * @param i batch index (its targets are used)
     * @param batch that batch
     * @return scalar loss
     */
    NDArray recLoss(Encoded e, int i, Batch batch) {
        return sasrec.recLoss(e.states, e.packing, e.offsets[i], batch, outputTable());
    }

    /**
     * The next-item loss of a row range, the first batch of a fused pass, as its part of the whole batch's mean over
     * target slots ({@link io.seqcl.optim.SplitLoss#ofSlotMean}).
     *
     * @param e the pass (batch 0 is {@code range})
     * @param range the row range
     * @param whole the whole batch
     * @return scalar part
     */
    NDArray recLoss(Encoded e, Batch range, Batch whole) {
        return io.seqcl.optim.SplitLoss.ofSlotMean(recLoss(e, 0, range), range, whole);
    }

    NDArray scoreAll(Batch batch) {
        Packing p = sasrec.packing(batch);
        return p.last(sasrec.encode(batch, p, false)).matMul(outputTable().transpose());
    }

    void close() {
        sasrec.close();
    }
}
