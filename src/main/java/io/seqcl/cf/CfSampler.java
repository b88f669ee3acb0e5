package io.seqcl.cf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws training batches as the AdvInfoNCE code does (common.md §3.3): an epoch is |R| draws; draw k of a
 * shuffled [0, |R|) picks user {@code users[k mod |U|]} (users with training items), a positive uniform from
 * that user's training items and N negatives uniform over all items except the user's training items, with
 * replacement. Batches keep {@code drop_last} semantics (a dataset smaller than one batch gives one batch of
 * all draws). All randomness comes from the given seeded stream.
 */
public final class CfSampler {

    private final CfDataset data;
    private final int[] users;

    /**
     * @param data the dataset
     * @throws IllegalArgumentException if no user has training items
     */
    public CfSampler(CfDataset data) {
        this.data = data;
        List<Integer> us = new ArrayList<>();
        for (int u = 0; u < data.numUsers(); u++) {
            if (data.train(u).length > 0) {
                if (data.train(u).length >= data.numItems()) {
                    throw new IllegalArgumentException("user " + u + " has interacted with every item: no negatives");
                }
                us.add(u);
            }
        }
        if (us.isEmpty()) {
            throw new IllegalArgumentException("dataset " + data.name() + " has no training interactions");
        }
        this.users = us.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param batchSize draws per batch
     * @return batches per epoch ({@code max(1, |R| / batchSize)})
     */
    public int batchesPerEpoch(int batchSize) {
        return (int) Math.max(1, data.numTrain() / batchSize);
    }

    /**
     * Draws one epoch of batches.
     *
     * @param batchSize draws per batch (capped at |R|)
     * @param negatives N
     * @param maxBatches cap on the number of batches (0 = all)
     * @param rng the seeded stream
     * @return the batches
     */
    public List<CfBatch> epoch(int batchSize, int negatives, int maxBatches, SplittableRandom rng) {
        int total = Math.toIntExact(data.numTrain());
        int[] perm = new int[total];
        for (int i = 0; i < total; i++) {
            perm[i] = i;
        }
        for (int i = total - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int b = Math.min(batchSize, total);
        int n = batchesPerEpoch(b);
        if (maxBatches > 0) {
            n = Math.min(n, maxBatches);
        }
        List<CfBatch> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long[] us = new long[b];
            long[] pos = new long[b];
            long[] neg = new long[b * negatives];
            for (int r = 0; r < b; r++) {
                int u = users[perm[k * b + r] % users.length];
                int[] items = data.train(u);
                us[r] = u;
                pos[r] = items[rng.nextInt(items.length)];
                for (int j = 0; j < negatives; j++) {
                    int cand;
                    do {
                        cand = rng.nextInt(data.numItems());
                    } while (Arrays.binarySearch(items, cand) >= 0);
                    neg[r * negatives + j] = cand;
                }
            }
            out.add(new CfBatch(us, pos, neg, negatives));
        }
        return out;
    }
}
