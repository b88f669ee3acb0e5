package io.seqcl.checkpoint;

import java.util.List;

/**
 * A checkpoint that does not fit a model: every missing, unexpected or misshaped tensor is listed, with the expected
 * and the found shape. Nothing is loaded into the model when this is thrown.
 */
public final class CheckpointMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** One line per problem. */
    private final List<String> problems;

    /**
     * @param source the checkpoint
     * @param model the model's name
     * @param problems one line per problem
     */
    public CheckpointMismatchException(String source, String model, List<String> problems) {
        super(source + " does not fit " + model + " (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return one line per problem */
    public List<String> problems() {
        return problems;
    }
}
