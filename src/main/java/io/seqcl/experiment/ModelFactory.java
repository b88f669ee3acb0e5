package io.seqcl.experiment;

import io.seqcl.model.SequentialRecommender;

/** Builds a fresh model for a dataset size and seed. */
@FunctionalInterface
public interface ModelFactory {

    /**
     * Creates the model.
     *
     * @param numItems number of items N
     * @param seed initialisation seed
     * @return a new, untrained model
     */
    SequentialRecommender create(int numItems, long seed);
}
