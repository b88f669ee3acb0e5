package io.seqcl.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training samples of a leave-one-out split in one of the two conventions of common.md section 3, served as
 * shuffled batches.
 *
 * <p>{@link SampleMode#PREFIX}: for every training position {@code t >= 2} of every user, the input is the
 * (at most T) items before {@code s_t} and the target is {@code s_t}; one loss on the last position.
 * {@link SampleMode#ALL_POSITIONS}: one sample per user, input {@code s_1..s_{m-1}}, targets
 * {@code s_2..s_m} where {@code m = n-2}, truncated to the most recent T positions.
 *
 * {@link SampleMode#INTERACTIONS}: one sample per training interaction, no input (non-sequential models).
 *
 * <p>Negatives for binary cross-entropy are drawn uniformly from {@code 1..N}, rejecting items anywhere in the
 * user's whole sequence (including validation and test items), as CoSeRec/ContrastVAE do; in
 * {@link SampleMode#INTERACTIONS} only the user's training items are rejected (RecBole's general sampler).
 */
public final class TrainingSamples {

    private final LeaveOneOutSplit split;
    private final SampleMode mode;
    private final int maxLen;
    private final Padding padding;
    /** PREFIX: (split user, target index) pairs packed as long; ALL_POSITIONS: split users with >= 2 items. */
    private final long[] samples;
    private int[][] sortedUserItems;
    private int[][] sortedTrainItems;
    private long built;

    /**
     * Prepares the samples.
     *
     * @param split the leave-one-out split
     * @param mode sample convention
     * @param maxLen maximum input length T (most recent items are kept)
     * @param padding padding side
     */
    public TrainingSamples(LeaveOneOutSplit split, SampleMode mode, int maxLen, Padding padding) {
        if (maxLen < 1) {
            throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
        }
        this.split = split;
        this.mode = mode;
        this.maxLen = maxLen;
        this.padding = padding;
        List<Long> list = new ArrayList<>();
        long count = 0;
        for (int i = 0; i < split.numUsers(); i++) {
            count += Math.max(0, split.trainLength(i) - 1);
        }
        if (mode == SampleMode.INTERACTIONS) {
            long all = 0;
            for (int i = 0; i < split.numUsers(); i++) {
                all += split.trainLength(i);
            }
            samples = new long[Math.toIntExact(all)];
            int k = 0;
            for (int i = 0; i < split.numUsers(); i++) {
                for (int t = 0; t < split.trainLength(i); t++) {
                    samples[k++] = ((long) i << 32) | t;
                }
            }
        } else if (mode == SampleMode.PREFIX) {
            samples = new long[Math.toIntExact(count)];
            int k = 0;
            for (int i = 0; i < split.numUsers(); i++) {
                for (int t = 1; t < split.trainLength(i); t++) {
                    samples[k++] = ((long) i << 32) | t;
                }
            }
        } else {
            for (int i = 0; i < split.numUsers(); i++) {
                if (split.trainLength(i) >= 2) {
                    list.add((long) i << 32);
                }
            }
            samples = list.stream().mapToLong(Long::longValue).toArray();
        }
        if (samples.length == 0) {
            throw new IllegalArgumentException("dataset " + split.dataset().name()
                    + " yields no training sample: every user needs at least 4 interactions");
        }
    }

    /** @return the number of samples in one epoch */
    public int size() {
        return samples.length;
    }

    /** @return the sample convention */
    public SampleMode mode() {
        return mode;
    }

    /** @return the maximum input length T */
    public int maxLen() {
        return maxLen;
    }

    /** @return the padding side */
    public Padding padding() {
        return padding;
    }

    /** @return the split the samples come from */
    public LeaveOneOutSplit split() {
        return split;
    }

    /**
     * Number of batches in one epoch (the last batch may be smaller).
     *
     * @param batchSize the batch size
     * @return {@code ceil(size / batchSize)}
     */
    public int batchesPerEpoch(int batchSize) {
        return (samples.length + batchSize - 1) / batchSize;
    }

    /**
     * Returns one epoch of batches in an order shuffled by {@code rng}.
     *
     * @param batchSize samples per batch
     * @param rng the random stream for shuffling and negative sampling (advanced by this call)
     * @param withNegatives whether to draw one negative per target position
     * @return the batches; the stored sequences are not modified
     */
    public List<Batch> epoch(int batchSize, SplittableRandom rng, boolean withNegatives) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        long[] order = shuffled(rng);
        List<Batch> batches = new ArrayList<>(batchesPerEpoch(batchSize));
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            batches.add(build(Arrays.copyOfRange(order, start, end), rng, withNegatives));
        }
        return batches;
    }

    /**
     * Returns the first {@code maxBatches} batches of an epoch, each built only when it is asked for, so that a
     * capped epoch (a smoke run on a large dataset) builds only the batches it uses.
     *
     * <p>The samples are shuffled by {@code rng} as in {@link #epoch}; negatives are then drawn from {@code rng}
     * when a batch is built, so if the caller also draws from {@code rng} between batches the stream differs
     * from {@link #epoch}'s (which draws every batch's negatives first). Without negatives and without draws in
     * between, the batches equal the first ones of {@link #epoch}.
     *
     * @param batchSize samples per batch
     * @param rng the random stream (advanced by the shuffle now and by each batch when it is built)
     * @param withNegatives whether to draw one negative per target position
     * @param maxBatches the most batches to serve ({@code >= 1})
     * @return an iterator over {@code min(maxBatches, batchesPerEpoch(batchSize))} batches
     */
    public java.util.Iterator<Batch> lazyEpoch(int batchSize, SplittableRandom rng, boolean withNegatives,
                                               int maxBatches) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (maxBatches < 1) {
            throw new IllegalArgumentException("maxBatches must be >= 1, got " + maxBatches);
        }
        long[] order = shuffled(rng);
        int n = Math.min(maxBatches, batchesPerEpoch(batchSize));
        return new java.util.Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public Batch next() {
                if (next >= n) {
                    throw new java.util.NoSuchElementException();
                }
                int start = next * batchSize;
                int end = Math.min(order.length, start + batchSize);
                next++;
                return build(Arrays.copyOfRange(order, start, end), rng, withNegatives);
            }
        };
    }

    /** @return the number of batches this instance has built so far (diagnostics) */
    public long batchesBuilt() {
        return built;
    }

    private long[] shuffled(SplittableRandom rng) {
        long[] order = samples.clone();
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    private Batch build(long[] chosen, SplittableRandom rng, boolean withNegatives) {
        built++;
        int bsz = chosen.length;
        int[][] items = new int[bsz][];
        int[][] targets = new int[bsz][];
        int[][] negatives = withNegatives ? new int[bsz][] : null;
        int[] lengths = new int[bsz];
        int[] users = new int[bsz];
        for (int b = 0; b < bsz; b++) {
            int i = (int) (chosen[b] >>> 32);
            int[] s = split.trainView(i);
            users[b] = split.datasetUser(i);
            if (mode == SampleMode.INTERACTIONS) {
                items[b] = new int[maxLen];
                lengths[b] = 0;
                targets[b] = new int[maxLen];
                targets[b][padding == Padding.RIGHT ? 0 : maxLen - 1] = s[(int) chosen[b]];
            } else if (mode == SampleMode.PREFIX) {
                int t = (int) chosen[b];
                int from = Math.max(0, t - maxLen);
                items[b] = Batch.pad(s, from, t, maxLen, padding);
                lengths[b] = t - from;
                targets[b] = new int[maxLen];
                int last = padding == Padding.RIGHT ? lengths[b] - 1 : maxLen - 1;
                targets[b][last] = s[t];
            } else {
                int m = s.length;
                int from = Math.max(0, m - 1 - maxLen);
                items[b] = Batch.pad(s, from, m - 1, maxLen, padding);
                targets[b] = Batch.pad(s, from + 1, m, maxLen, padding);
                lengths[b] = m - 1 - from;
            }
            if (withNegatives) {
                negatives[b] = new int[maxLen];
                for (int t = 0; t < maxLen; t++) {
                    if (targets[b][t] != 0) {
                        negatives[b][t] = mode == SampleMode.INTERACTIONS ? sampleUnseenInTraining(i, rng)
                                : sampleNegative(i, rng);
                    }
                }
            }
        }
        return new Batch(items, targets, negatives, lengths, users, padding);
    }

    /** A negative for INTERACTIONS: uniform over {@code 1..N} minus the user's training items. */
    private int sampleUnseenInTraining(int splitUser, SplittableRandom rng) {
        if (sortedTrainItems == null) {
            sortedTrainItems = new int[split.numUsers()][];
        }
        int[] seen = sortedTrainItems[splitUser];
        if (seen == null) {
            seen = Arrays.stream(split.trainView(splitUser)).sorted().distinct().toArray();
            sortedTrainItems[splitUser] = seen;
        }
        int n = split.numItems();
        if (seen.length >= n) {
            throw new IllegalStateException("user " + split.dataset().userId(split.datasetUser(splitUser))
                    + " has every item in the training part; no negative can be sampled");
        }
        while (true) {
            int candidate = 1 + rng.nextInt(n);
            if (Arrays.binarySearch(seen, candidate) < 0) {
                return candidate;
            }
        }
    }

    private int sampleNegative(int splitUser, SplittableRandom rng) {
        if (sortedUserItems == null) {
            sortedUserItems = new int[split.numUsers()][];
        }
        int[] seen = sortedUserItems[splitUser];
        if (seen == null) {
            seen = Arrays.stream(split.dataset().sequence(split.datasetUser(splitUser))).sorted().distinct().toArray();
            sortedUserItems[splitUser] = seen;
        }
        int n = split.numItems();
        if (seen.length >= n) {
            throw new IllegalStateException("user " + split.dataset().userId(split.datasetUser(splitUser))
                    + " has interacted with every item; no negative can be sampled");
        }
        while (true) {
            int candidate = 1 + rng.nextInt(n);
            if (Arrays.binarySearch(seen, candidate) < 0) {
                return candidate;
            }
        }
    }
}
