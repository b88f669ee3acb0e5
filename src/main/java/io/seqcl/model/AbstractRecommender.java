package io.seqcl.model;

import io.seqcl.nn.Params;

/**
 * What every model shares, in one place: its display name, item count, configuration, input conventions (from the
 * configuration), parameter store, and closing. A model class extends this and holds only what is its own: its
 * layers, {@link #loss}, {@link #scoreAll}, and where needed {@link #prepare} and {@link #newTrainStep}.
 *
 * <p>Models built from other models (CL4SRec on SASRec, Meta-SGCL on SASRec) pass their own store to the inner
 * model, so one store holds every weight and {@link #close()} frees it once.
 *
 * @param <C> the configuration type
 */
public abstract class AbstractRecommender<C extends ModelConfig> implements SequentialRecommender {

    private final String name;
    private final int numItems;
    private final C config;
    private final Params params;

    /**
     * Validates and stores what every model has.
     *
     * @param name display name, e.g. "SASRec"
     * @param numItems number of items N (scores have N+1 columns, column 0 = padding)
     * @param config the validated configuration
     * @param params the parameter store the model creates its weights in
     */
    protected AbstractRecommender(String name, int numItems, C config, Params params) {
        if (numItems < 1) {
            throw new IllegalArgumentException(name + ": numItems must be >= 1, got " + numItems);
        }
        if (config == null) {
            throw new IllegalArgumentException(name + ": config must not be null");
        }
        this.name = name;
        this.numItems = numItems;
        this.config = config;
        this.params = params;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int numItems() {
        return numItems;
    }

    @Override
    public final C config() {
        return config;
    }

    @Override
    public InputSpec inputSpec() {
        return config.inputSpec();
    }

    @Override
    public final Params params() {
        return params;
    }

    @Override
    public void close() {
        params.close();
    }
}
