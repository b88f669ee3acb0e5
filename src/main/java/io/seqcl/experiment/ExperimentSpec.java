package io.seqcl.experiment;

import io.seqcl.train.TrainConfig;

import java.util.List;

/**
 * An experiment as data: the models to compare and the training/evaluation settings, run on one dataset.
 *
 * @param name experiment name (used in file names and tables)
 * @param models the models, each with its configuration
 * @param train training and evaluation settings shared by all models
 */
public record ExperimentSpec(String name, List<ModelSpec> models, TrainConfig train) {

    /** Validates and copies the model list. */
    public ExperimentSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an experiment needs a name");
        }
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + name + "' has no model");
        }
        if (train == null) {
            throw new IllegalArgumentException("experiment '" + name + "' has no training configuration");
        }
        models = List.copyOf(models);
        long distinct = models.stream().map(ModelSpec::name).distinct().count();
        if (distinct != models.size()) {
            throw new IllegalArgumentException("experiment '" + name + "' has two models with the same name; "
                    + "use ModelSpec.named(...) to tell them apart");
        }
    }

    /**
     * A copy with other training settings.
     *
     * @param t the settings
     * @return the copy
     */
    public ExperimentSpec withTrain(TrainConfig t) {
        return new ExperimentSpec(name, models, t);
    }

    /**
     * The training settings of one model: the experiment's, with its {@link ModelSpec#epochFactor} applied.
     *
     * @param m a model of this experiment
     * @return the settings it trains with
     */
    public TrainConfig trainFor(ModelSpec m) {
        return m.trainFrom(train);
    }
}
