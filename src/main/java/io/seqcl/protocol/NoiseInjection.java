package io.seqcl.protocol;

import io.seqcl.data.SequenceDataset;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Inserts random "negative" items into sequences to test robustness to noisy interactions.
 *
 * <p>Meta-SGCL Fig. 5 (../shared/papers/001_10888dff13463991.txt: "randomly add a proportion (10-50%) of negative
 * items into the input sequences during training") and MCLRec Fig. 7 (noise inserted into test inputs), as
 * specified in metasgcl.md section 9. The insertion algorithm is CoSeRec's {@code noise_ratio}: for a sequence of
 * length {@code n}, {@code k = floor(ratio * n)} positions are drawn from {@code 0..n-1} with replacement; every
 * position of the drawn <em>set</em> gets exactly one random item inserted immediately before it; an inserted id
 * is uniform on {@code 1..N} and redrawn while it already occurs in the sequence.
 *
 * <p>Two modes ({@link Mode}): {@link Mode#TRAIN_HISTORY} (the paper's wording, our default for Meta-SGCL)
 * corrupts each user's {@code s_1..s_{n-2}} once, so training and the history part of validation and test inputs
 * are noisy while both targets stay clean; {@link Mode#TEST_INPUT} (CoSeRec/MCLRec) trains on clean data and
 * inserts noise into the test input {@code s_1..s_n}, whose target stays last (so a noise item may become the
 * most recent input). All randomness comes from a seed; the stored dataset is never modified.
 *
 * @param ratio proportion of inserted items, in [0, 1]
 * @param mode where the noise goes
 */
public record NoiseInjection(double ratio, Mode mode) {

    /** Where noise is inserted. */
    public enum Mode {
        /** Noise in every user's training history (also the history part of valid/test inputs). */
        TRAIN_HISTORY,
        /** Clean training; noise in the test inputs only. */
        TEST_INPUT
    }

    /** Validates the ratio. */
    public NoiseInjection {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("noise ratio must be in [0, 1], got " + ratio);
        }
        if (mode == null) {
            throw new IllegalArgumentException("noise mode must be TRAIN_HISTORY or TEST_INPUT, got null");
        }
    }

    /**
     * No noise.
     *
     * @return ratio 0 in TRAIN_HISTORY mode
     */
    public static NoiseInjection none() {
        return new NoiseInjection(0, Mode.TRAIN_HISTORY);
    }

    /**
     * CoSeRec's insertion on one sequence.
     *
     * @param seq the items (not modified)
     * @param ratio proportion to insert
     * @param numItems N; inserted ids are uniform on 1..N
     * @param rng the random stream
     * @return a new, longer (or equal) array
     * @throws IllegalArgumentException if every item id already occurs in the sequence (nothing to insert)
     */
    public static int[] insert(int[] seq, double ratio, int numItems, SplittableRandom rng) {
        int n = seq.length;
        int k = (int) Math.floor(ratio * n);
        if (k == 0) {
            return seq.clone();
        }
        boolean[] chosen = new boolean[n];
        int distinctChosen = 0;
        for (int i = 0; i < k; i++) {
            int p = rng.nextInt(n);
            if (!chosen[p]) {
                chosen[p] = true;
                distinctChosen++;
            }
        }
        java.util.Set<Integer> present = new java.util.HashSet<>();
        for (int v : seq) {
            present.add(v);
        }
        if (present.size() >= numItems) {
            throw new IllegalArgumentException("cannot insert noise: the sequence already holds all " + numItems
                    + " items");
        }
        int[] out = new int[n + distinctChosen];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (chosen[i]) {
                int item;
                do {
                    item = 1 + rng.nextInt(numItems);
                } while (present.contains(item));
                out[j++] = item;
            }
            out[j++] = seq[i];
        }
        return out;
    }

    /**
     * Makes the split this noise setting describes; with ratio 0 it equals {@code LeaveOneOutSplit.of(dataset)}.
     *
     * @param dataset the clean dataset (not modified)
     * @param seed seed of the noise stream
     * @return the split to train and evaluate on
     */
    public LeaveOneOutSplit split(SequenceDataset dataset, long seed) {
        if (ratio == 0) {
            return LeaveOneOutSplit.of(dataset);
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5EED_0F_4015EL);
        if (mode == Mode.TRAIN_HISTORY) {
            return LeaveOneOutSplit.of(noisyHistories(dataset, rng));
        }
        LeaveOneOutSplit clean = LeaveOneOutSplit.of(dataset);
        EvalSet test = clean.test();
        int[][] inputs = new int[test.size()][];
        for (int i = 0; i < test.size(); i++) {
            int[] full = Arrays.copyOf(test.inputs()[i], test.inputs()[i].length + 1);
            full[full.length - 1] = test.targets()[i];
            int[] noisy = insert(full, ratio, dataset.numItems(), rng);
            inputs[i] = Arrays.copyOf(noisy, noisy.length - 1);
        }
        return clean.withTest(new EvalSet(test.name(), test.users(), inputs, test.targets()));
    }

    private SequenceDataset noisyHistories(SequenceDataset dataset, SplittableRandom rng) {
        int[][] seqs = new int[dataset.numUsers()][];
        int[] ids = new int[dataset.numUsers()];
        for (int u = 0; u < dataset.numUsers(); u++) {
            int[] s = dataset.sequence(u);
            ids[u] = dataset.userId(u);
            if (s.length < 3) {
                seqs[u] = s;
                continue;
            }
            int[] history = insert(Arrays.copyOf(s, s.length - 2), ratio, dataset.numItems(), rng);
            int[] out = Arrays.copyOf(history, history.length + 2);
            out[history.length] = s[s.length - 2];
            out[history.length + 1] = s[s.length - 1];
            seqs[u] = out;
        }
        return new SequenceDataset(dataset.name() + describeSuffix(), ids, seqs, dataset.numItems(),
                dataset.source(), dataset.sha256());
    }

    private String describeSuffix() {
        return String.format(Locale.ROOT, "+noise%.0f%%", ratio * 100);
    }

    /** @return e.g. "20% noise, TRAIN_HISTORY" */
    public String describe() {
        return ratio == 0 ? "no noise" : String.format(Locale.ROOT, "%.0f%% noise, %s", ratio * 100, mode);
    }
}
