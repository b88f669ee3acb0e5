package io.seqcl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.seqcl.nn.Ops;
import io.seqcl.protocol.Batch;

import java.util.ArrayList;
import java.util.List;

/**
 * A training loss written as a sum of row-range parts plus one joint term that couples the rows of the batch only
 * through per-row representations (in-batch negatives of a contrastive loss), so that {@link ShardedStep} can cut a
 * batch into row ranges whose forward and backward passes run at the same time.
 *
 * <p>Contract: for any cut of a batch {@code whole} into consecutive row ranges {@code r_1, ..., r_k},
 * {@code loss(whole) = sum_i part(r_i, from_i, whole).rows() + joint(reps, whole)}, where {@code reps.get(j)} is
 * the concatenation along axis 0, in range order, of the ranges' {@code part(r_i, from_i, whole).reps().get(j)}, and is
 * exactly what the whole batch's own pass produces for it (e.g. each row's last hidden state of a view). A mean
 * over the whole batch is therefore taken in {@link #part} as the range's sum divided by the whole batch's count
 * ({@link #share}). {@link #joint} draws nothing at random (it may run on any range's thread) and every range
 * returns the same number of representations.
 *
 * <p>The sharded step computes the joint term on detached copies of the representations, back-propagates it to
 * them, and each range then back-propagates {@code rows + sum_j <reps_j, dJ/dreps_j>}: the accumulated gradients
 * are the whole batch's (the chain rule cut at the representations).
 */
public interface SplitLoss {

    /**
     * One row range's share of the loss.
     *
     * @param rows the range's per-row terms, already scaled by its share of the whole batch's normalisers; null
     *     when the loss has none (a contrastive term alone)
     * @param reps representations read by {@link #joint}, each with the range's rows along axis 0; empty for a
     *     loss without a joint term
     */
    record Part(NDArray rows, List<NDArray> reps) {

        /**
         * Validates the part.
         *
         * @throws IllegalArgumentException if {@code reps} is null, or empty while {@code rows} is null
         */
        public Part {
            if (reps == null || rows == null && reps.isEmpty()) {
                throw new IllegalArgumentException("a split loss part needs per-row terms, representations for "
                        + "the joint term, or both");
            }
            reps = List.copyOf(reps);
        }
    }

    /**
     * The terms of a row range.
     *
     * @param range consecutive rows of {@code whole} (the whole batch itself when it is not split)
     * @param from the index of the range's first row in {@code whole} (for per-batch data such as views drawn once
     *     per batch)
     * @param whole the whole batch, for normalisers and per-batch keys
     * @param ctx the range's step context (its own random stream when split)
     * @return the part
     */
    Part part(Batch range, int from, Batch whole, StepContext ctx);

    /**
     * The joint term, from the whole batch's representations: the terms that couple rows. Work that goes row by row
     * (a projection head) belongs in the parts. If the joint term reads parameters, their gradients accumulate before
     * the ranges back-propagate, so such a parameter should get no gradient from the ranges, or the float sum of its
     * contributions would depend on the order in which the ranges finish. A term of the parameters alone (a prior)
     * belongs to the first range's part ({@code from == 0}), which counts it once.
     *
     * @param reps each representation of the whole batch (ranges concatenated in order); empty if the parts return
     *     none
     * @param whole the whole batch
     * @return scalar term, or null for none
     */
    NDArray joint(List<NDArray> reps, Batch whole);

    /**
     * The unsplit loss of a batch: its one part plus the joint term on that part's representations.
     *
     * @param batch the batch
     * @param ctx step context
     * @return scalar loss
     */
    default NDArray loss(Batch batch, StepContext ctx) {
        Part p = part(batch, 0, batch, ctx);
        NDArray j = joint(p.reps(), batch);
        return j == null ? p.rows() : p.rows() == null ? j : p.rows().add(j);
    }

    /**
     * A range's share of a mean over the whole batch's target slots.
     *
     * @param range the range
     * @param whole the whole batch
     * @return {@code |slots(range)| / |slots(whole)|}, 1 when they are the same batch
     */
    static double share(Batch range, Batch whole) {
        return range == whole ? 1.0 : range.targetSlots().size() / (double) whole.targetSlots().size();
    }

    /**
     * A range's share of a mean over the whole batch's real (nonzero) item positions.
     *
     * @param range the range
     * @param whole the whole batch
     * @return {@code |items(range)| / |items(whole)|}, 1 when they are the same batch
     */
    static double itemShare(Batch range, Batch whole) {
        return range == whole ? 1.0 : nonzeroItems(range) / (double) Math.max(1, nonzeroItems(whole));
    }

    /**
     * A range's share of a mean over the whole batch's positions.
     *
     * @param range the range
     * @param whole the whole batch
     * @param allPositions every position of every row, padding included (rows of the same T), or only the real
     *     items ({@link #itemShare})
     * @return the share, 1 when they are the same batch
     */
    static double positionShare(Batch range, Batch whole, boolean allPositions) {
        return allPositions ? range.size() / (double) whole.size() : itemShare(range, whole);
    }

    private static long nonzeroItems(Batch b) {
        long n = 0;
        for (int[] row : b.items()) {
            for (int v : row) {
                if (v != 0) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A range's part of a mean over the whole batch's target slots, from the same mean over the range's own slots.
     *
     * @param rangeMean the mean over the range's target slots
     * @param range the range
     * @param whole the whole batch
     * @return {@code rangeMean} itself when the range is the whole batch, else {@code share(range, whole) rangeMean}
     */
    static NDArray ofSlotMean(NDArray rangeMean, Batch range, Batch whole) {
        return range == whole ? rangeMean : Ops.scale(rangeMean, share(range, whole));
    }

    /**
     * A loss that is the mean, over the batch's target slots, of terms that each depend on one row: the range's
     * part is its own loss times its {@link #share}, with no joint term.
     *
     * @param meanOverTargetSlots the loss
     * @return the split loss
     */
    static SplitLoss perRow(SingleLossStep.Loss meanOverTargetSlots) {
        return new SplitLoss() {
            @Override
            public Part part(Batch range, int from, Batch whole, StepContext ctx) {
                return new Part(ofSlotMean(meanOverTargetSlots.compute(range, ctx), range, whole), List.of());
            }

            @Override
            public NDArray joint(List<NDArray> reps, Batch whole) {
                return null;
            }
        };
    }

    /**
     * Concatenates the ranges' representations: element {@code j} is representation {@code j} of every range
     * along axis 0, in range order.
     *
     * @param perRange each range's representations
     * @return the whole batch's representations
     * @throws IllegalStateException if the ranges return different numbers of representations
     */
    static List<NDArray> concat(List<List<NDArray>> perRange) {
        int n = perRange.get(0).size();
        List<NDArray> out = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            NDList parts = new NDList();
            for (List<NDArray> r : perRange) {
                if (r.size() != n) {
                    throw new IllegalStateException("row ranges returned " + n + " and " + r.size()
                            + " representations; a split loss must return the same number for every range");
                }
                parts.add(r.get(j));
            }
            out.add(parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0));
        }
        return out;
    }
}
