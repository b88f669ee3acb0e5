package io.seqcl.cf;

import io.seqcl.data.DataFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses AdvInfoNCE split files: one line per user, {@code uid i1 i2 ...}, 0-based ids separated by spaces or
 * tabs (common.md §1.4). Blank lines are skipped; a user line without items is an empty set.
 *
 * <p>Every problem raises a {@link DataFormatException} whose message starts with {@code file:line}.
 */
public final class CfFiles {

    private CfFiles() {
    }

    /**
     * Reads one split file.
     *
     * @param file the file
     * @return user id to item ids, in file order
     * @throws DataFormatException if the file is missing, unreadable, or a line is malformed (non-integer or
     *         negative id, user listed twice)
     */
    public static Map<Integer, int[]> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "file not found");
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read: " + e);
        }
        return parse(file, new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Parses split-file content.
     *
     * @param file the file name used in messages
     * @param text the content
     * @return user id to item ids, in file order
     * @throws DataFormatException naming {@code file:line} for malformed input
     */
    public static Map<Integer, int[]> parse(Path file, String text) {
        Map<Integer, int[]> out = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] tok = line.split("[ \t]+");
            int user = id(file, ln + 1, tok[0], "user");
            int[] items = new int[tok.length - 1];
            for (int t = 1; t < tok.length; t++) {
                items[t - 1] = id(file, ln + 1, tok[t], "item");
            }
            if (out.put(user, items) != null) {
                throw new DataFormatException(file, ln + 1, "user " + user + " is listed twice");
            }
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "file has no user lines");
        }
        return out;
    }

    private static int id(Path file, long line, String token, String what) {
        int v;
        try {
            v = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "expected an integer " + what + " id, found '" + token + "'");
        }
        if (v < 0) {
            throw new DataFormatException(file, line, what + " id " + v + " is negative (ids are 0-based)");
        }
        return v;
    }

    /**
     * Turns parsed files into a dataset (users from train, items = max id + 1 over all files).
     *
     * @param name dataset name
     * @param source description of the source
     * @param files file name (e.g. "train", "valid", "test_id") to its path, train first then valid
     * @param sha256 checksums to record
     * @return the dataset
     * @throws DataFormatException if a held-out user id is not a training user (naming file and line)
     */
    public static CfDataset load(String name, String source, Map<String, Path> files, Map<String, String> sha256) {
        Map<String, Map<Integer, int[]>> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            parsed.put(e.getKey(), read(e.getValue()));
        }
        Map<Integer, int[]> train = parsed.get("train");
        int nu = train.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        int maxItem = -1;
        for (Map<Integer, int[]> m : parsed.values()) {
            for (int[] r : m.values()) {
                for (int i : r) {
                    maxItem = Math.max(maxItem, i);
                }
            }
        }
        Map<String, int[][]> splits = new LinkedHashMap<>();
        int[][] tr = null;
        for (Map.Entry<String, Map<Integer, int[]>> e : parsed.entrySet()) {
            int[][] rows = new int[nu][];
            List<Integer> order = new ArrayList<>(e.getValue().keySet());
            for (int k = 0; k < order.size(); k++) {
                int u = order.get(k);
                if (u >= nu) {
                    throw new DataFormatException(files.get(e.getKey()), lineOf(files.get(e.getKey()), u),
                            "user " + u + " does not occur in the training file (users 0.." + (nu - 1) + ")");
                }
                rows[u] = e.getValue().get(u);
            }
            if (e.getKey().equals("train")) {
                tr = rows;
            } else {
                splits.put(e.getKey(), rows);
            }
        }
        return new CfDataset(name, source, nu, maxItem + 1, tr, splits, sha256);
    }

    private static long lineOf(Path file, int user) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.startsWith(user + " ") || l.startsWith(user + "\t") || l.equals(String.valueOf(user))) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return 0;
    }
}
