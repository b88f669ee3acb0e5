package io.seqcl.data;

/**
 * Parameters of {@link SyntheticDataset}; the constructor fails fast with a message naming the bad parameter.
 *
 * @param users number of users (at least 1)
 * @param items number of items (at least 2 and greater than {@code successors})
 * @param minLength shortest user sequence (at least 1; leave-one-out needs 3, common.md §2)
 * @param maxLength longest user sequence (at least {@code minLength})
 * @param successors successors per item in the Markov chain (at least 1, less than {@code items})
 * @param jumpProbability probability of a random jump drawn from the popularity distribution, in [0, 1]
 * @param zipfExponent exponent s of the popularity distribution p(i) proportional to 1 / i^s (finite, &gt;= 0)
 * @param seed random seed; equal configs give identical datasets
 */
public record SyntheticConfig(int users, int items, int minLength, int maxLength, int successors,
                              double jumpProbability, double zipfExponent, long seed) {

    /**
     * Validates the parameters (see the record description for their meaning).
     *
     * @param users number of users
     * @param items number of items
     * @param minLength shortest sequence
     * @param maxLength longest sequence
     * @param successors successors per item
     * @param jumpProbability random-jump probability
     * @param zipfExponent popularity exponent
     * @param seed random seed
     * @throws IllegalArgumentException naming the first invalid parameter and its value
     */
    public SyntheticConfig {
        require(users >= 1, "users must be >= 1, got " + users);
        require(items >= 2, "items must be >= 2, got " + items);
        require(minLength >= 1, "minLength must be >= 1, got " + minLength);
        require(maxLength >= minLength, "maxLength must be >= minLength (" + minLength + "), got " + maxLength);
        require(successors >= 1, "successors must be >= 1, got " + successors);
        require(successors < items, "successors must be < items (" + items + "), got " + successors);
        require(jumpProbability >= 0 && jumpProbability <= 1,
                "jumpProbability must be in [0, 1], got " + jumpProbability);
        require(Double.isFinite(zipfExponent) && zipfExponent >= 0,
                "zipfExponent must be finite and >= 0, got " + zipfExponent);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("SyntheticConfig: " + message);
        }
    }

    /** @return 2000 users, 500 items, lengths 5..30, 3 successors, jump 0.1, Zipf exponent 1.0, seed 42 */
    public static SyntheticConfig defaults() {
        return new SyntheticConfig(2000, 500, 5, 30, 3, 0.1, 1.0, 42L);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param newSeed the seed
     * @return the new config
     */
    public SyntheticConfig withSeed(long newSeed) {
        return new SyntheticConfig(users, items, minLength, maxLength, successors, jumpProbability, zipfExponent,
                newSeed);
    }

    /**
     * Returns a copy with another size.
     *
     * @param newUsers number of users
     * @param newItems number of items
     * @return the new config
     */
    public SyntheticConfig withSize(int newUsers, int newItems) {
        return new SyntheticConfig(newUsers, newItems, minLength, maxLength, successors, jumpProbability,
                zipfExponent, seed);
    }
}
