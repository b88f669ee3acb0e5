package io.seqcl.protocol;

/**
 * Inputs and single targets for one evaluation split (validation or test).
 *
 * <p>Inputs are the full, untruncated histories; models keep the most recent T items themselves, while the
 * evaluator uses the whole history for history exclusion. Arrays are shared, not copied: treat them as read-only.
 *
 * @param name "valid" or "test"
 * @param users dataset user index of each row
 * @param inputs chronological history of each row
 * @param targets the item to predict for each row
 */
public record EvalSet(String name, int[] users, int[][] inputs, int[] targets) {

    /** Validates that the three arrays have the same length. */
    public EvalSet {
        if (users.length != inputs.length || inputs.length != targets.length) {
            throw new IllegalArgumentException("EvalSet " + name + ": users/inputs/targets lengths differ: "
                    + users.length + "/" + inputs.length + "/" + targets.length);
        }
    }

    /** @return number of rows */
    public int size() {
        return targets.length;
    }

    /**
     * Returns the rows selected by {@code rows} as a new set (arrays shared).
     *
     * @param newName name of the subset
     * @param rows row indices
     * @return the subset
     */
    public EvalSet subset(String newName, int[] rows) {
        int[] u = new int[rows.length];
        int[][] in = new int[rows.length][];
        int[] t = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            u[i] = users[rows[i]];
            in[i] = inputs[rows[i]];
            t[i] = targets[rows[i]];
        }
        return new EvalSet(newName, u, in, t);
    }
}
