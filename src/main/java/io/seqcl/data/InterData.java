package io.seqcl.data;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset read from a RecBole {@code .inter} file together with its token-to-id mappings (common.md §1.4).
 *
 * <p>User and item tokens are numbered {@code 1..} in order of first appearance in the (filtered) file;
 * {@link SequenceDataset#userId(int)} holds the user number, {@link #userToken(int)} the original token.
 */
public final class InterData {

    private final SequenceDataset dataset;
    private final List<String> userTokens;
    private final List<String> itemTokens;
    private final Map<String, Integer> userIds;
    private final Map<String, Integer> itemIds;

    InterData(SequenceDataset dataset, List<String> userTokens, List<String> itemTokens) {
        this.dataset = dataset;
        this.userTokens = List.copyOf(userTokens);
        this.itemTokens = List.copyOf(itemTokens);
        this.userIds = index(this.userTokens);
        this.itemIds = index(this.itemTokens);
    }

    private static Map<String, Integer> index(List<String> tokens) {
        Map<String, Integer> m = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            m.put(tokens.get(i), i + 1);
        }
        return Collections.unmodifiableMap(m);
    }

    /** @return the sequences, users in first-appearance order, items as ids {@code 1..numItems} */
    public SequenceDataset dataset() {
        return dataset;
    }

    /**
     * Returns the item id assigned to a token.
     *
     * @param token the item token from the file
     * @return its id in {@code 1..numItems}, or 0 if the token does not occur (after filtering)
     */
    public int itemId(String token) {
        return itemIds.getOrDefault(token, 0);
    }

    /**
     * Returns the token of an item id.
     *
     * @param id an id in {@code 1..numItems}
     * @return the token from the file
     */
    public String itemToken(int id) {
        return itemTokens.get(id - 1);
    }

    /**
     * Returns the user number assigned to a user token.
     *
     * @param token the user token from the file
     * @return its number in {@code 1..numUsers}, or 0 if the token does not occur (after filtering)
     */
    public int userId(String token) {
        return userIds.getOrDefault(token, 0);
    }

    /**
     * Returns the token of a user number.
     *
     * @param id a user number in {@code 1..numUsers}, e.g. {@code dataset().userId(u)}
     * @return the token from the file
     */
    public String userToken(int id) {
        return userTokens.get(id - 1);
    }

    /** @return item tokens, index {@code i} holding the token of item id {@code i + 1} (unmodifiable) */
    public List<String> itemTokens() {
        return itemTokens;
    }

    /** @return user tokens, index {@code i} holding the token of user number {@code i + 1} (unmodifiable) */
    public List<String> userTokens() {
        return userTokens;
    }
}
