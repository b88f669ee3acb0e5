package io.seqcl.augment;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Applies one operator drawn uniformly from a list (a CoSeRec-style "random" augmenter).
 *
 * @param ops the candidates (at least one)
 */
public record RandomChoice(List<Augmentation> ops) implements Augmentation {

    /** Validates and copies the list. */
    public RandomChoice {
        if (ops == null || ops.isEmpty() || ops.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("ops must hold at least one operator and no null");
        }
        ops = List.copyOf(ops);
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        return ops.get(rng.nextInt(ops.size())).apply(seq, length, rng);
    }

    @Override
    public String describe() {
        return "oneOf" + ops.stream().map(Augmentation::describe).collect(Collectors.joining(", ", "(", ")"));
    }
}
