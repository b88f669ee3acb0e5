package io.seqcl.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads RecBole atomic {@code .inter} files into user sequences (common.md §1.4, §1.5).
 *
 * <p>The first line is a header of typed columns such as {@code user_id:token}, {@code item_id:token},
 * {@code rating:float}, {@code timestamp:float}; rows are tab-separated. Interactions are grouped by user in
 * order of first appearance. If a {@code timestamp} column exists each user's interactions are sorted by it with
 * a <em>stable</em> sort, so ties keep file order as in RecBole (common.md §1.5); otherwise file order is kept.
 * Tokens are strings: items and users are numbered {@code 1..} by first appearance among the kept rows
 * (see {@link InterData}). An optional minimum rating (common.md §1.2, off by default) keeps rows with
 * {@code rating >= minRating} and requires a rating column.
 *
 * <p>Lines end with {@code \n}, {@code \r\n} or a lone {@code \r}; a UTF-8 byte-order mark at the start is
 * skipped; a line that is not valid UTF-8 is reported with its number. Invisible characters in quoted tokens are
 * shown as <code>&#92;uXXXX</code>.
 */
public final class InterFiles {

    private InterFiles() {
    }

    /**
     * Reads a {@code .inter} file without a rating filter, naming the dataset after the file.
     *
     * @param file the file
     * @return the sequences and token mappings
     * @throws DataFormatException if the file is missing, empty or malformed
     */
    public static InterData read(Path file) {
        return read(file, SequenceFiles.baseName(file), OptionalDouble.empty());
    }

    /**
     * Reads a {@code .inter} file.
     *
     * @param file the file
     * @param name the dataset name
     * @param minRating if present, keep only rows with {@code rating >= minRating} (needs a rating column)
     * @return the sequences and token mappings
     * @throws DataFormatException if the file is missing, empty or malformed, or a rating filter is asked for
     *         without a rating column
     */
    public static InterData read(Path file, String name, OptionalDouble minRating) {
        byte[] bytes = SequenceFiles.readBytes(file);
        String sha = Checksums.rememberBytes(file, bytes);
        return parse(file, new Lines(file, bytes), name, minRating, sha);
    }

    /**
     * Parses {@code .inter} content that is already in memory.
     *
     * @param file the file the bytes came from (used in messages and as the source)
     * @param bytes the content (UTF-8)
     * @param name the dataset name
     * @param minRating optional rating filter
     * @return the sequences and token mappings
     * @throws DataFormatException if the content is empty or malformed
     */
    public static InterData parse(Path file, byte[] bytes, String name, OptionalDouble minRating) {
        return parse(file, new Lines(file, bytes), name, minRating, null);
    }

    /** Splits bytes into lines at LF, CRLF or a lone CR and decodes each strictly as UTF-8. */
    private static final class Lines {
        private final Path file;
        private final byte[] b;
        private int pos;
        private long line;

        Lines(Path file, byte[] bytes) {
            this.file = file;
            this.b = bytes;
            if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
                pos = 3;
            }
        }

        String readLine() {
            if (pos >= b.length) {
                return null;
            }
            line++;
            int end = pos;
            while (end < b.length && b[end] != '\n' && b[end] != '\r') {
                end++;
            }
            int from = pos;
            pos = end + 1;
            if (end + 1 < b.length && b[end] == '\r' && b[end + 1] == '\n') {
                pos = end + 2;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(b, from, end - from)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new DataFormatException(file, line, "line is not valid UTF-8 text (is the file binary or in"
                        + " another encoding such as UTF-16 or Latin-1?)");
            }
        }
    }

    private static InterData parse(Path file, Lines in, String name, OptionalDouble minRating, String sha) {
        String header = in.readLine();
        if (header == null || header.isBlank()) {
            throw new DataFormatException(file, header == null ? 0 : 1, header == null ? "file is empty"
                    : "header line is blank (expected e.g. 'user_id:token<TAB>item_id:token')");
        }
        String[] cols = split(header, new String[0]);
        int userCol = -1;
        int itemCol = -1;
        int ratingCol = -1;
        int timeCol = -1;
        for (int c = 0; c < cols.length; c++) {
            String h = cols[c].trim();
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new DataFormatException(file, 1, "header column " + Visible.quote(h)
                        + " has no ':type' suffix (expected e.g. 'user_id:token')" + Visible.hint(h));
            }
            switch (h.substring(0, colon)) {
                case "user_id" -> userCol = c;
                case "item_id" -> itemCol = c;
                case "rating" -> ratingCol = c;
                case "timestamp" -> timeCol = c;
                default -> { }
            }
        }
        if (userCol < 0 || itemCol < 0) {
            throw new DataFormatException(file, 1, "header has no " + (userCol < 0 ? "user_id" : "item_id")
                    + " column (header: " + Visible.quote(header.trim()) + ")" + Visible.hint(header));
        }
        if (minRating.isPresent() && ratingCol < 0) {
            throw new DataFormatException(file, 1, "a minimum rating of " + minRating.getAsDouble()
                    + " was requested but the header has no rating column (header: " + Visible.quote(header.trim())
                    + ")");
        }
        Map<String, Integer> userIndex = new HashMap<>();
        Map<String, Integer> itemIndex = new HashMap<>();
        List<String> userTokens = new ArrayList<>();
        List<String> itemTokens = new ArrayList<>();
        int[] rowUser = new int[1 << 14];
        int[] rowItem = new int[1 << 14];
        double[] rowTime = timeCol >= 0 ? new double[1 << 14] : null;
        int rows = 0;
        String[] f = new String[cols.length];
        long line = 1;
        String s;
        while ((s = in.readLine()) != null) {
            line++;
            if (s.isBlank()) {
                continue;
            }
            int found = splitInto(s, f);
            if (found != cols.length) {
                throw new DataFormatException(file, line, "expected " + cols.length
                        + " tab-separated columns but found " + found);
            }
            if (ratingCol >= 0) {
                double rating = number(file, line, f[ratingCol], "rating");
                if (minRating.isPresent() && !(rating >= minRating.getAsDouble())) {
                    continue;
                }
            }
            double time = timeCol >= 0 ? number(file, line, f[timeCol], "timestamp") : 0;
            String userToken = f[userCol];
            String itemToken = f[itemCol];
            if (userToken.isEmpty() || itemToken.isEmpty()) {
                throw new DataFormatException(file, line, "empty " + (userToken.isEmpty() ? "user_id" : "item_id"));
            }
            Integer u = userIndex.get(userToken);
            if (u == null) {
                u = userTokens.size();
                userIndex.put(userToken, u);
                userTokens.add(userToken);
            }
            Integer item = itemIndex.get(itemToken);
            if (item == null) {
                itemTokens.add(itemToken);
                item = itemTokens.size();
                itemIndex.put(itemToken, item);
            }
            if (rows == rowUser.length) {
                rowUser = Arrays.copyOf(rowUser, rows * 2);
                rowItem = Arrays.copyOf(rowItem, rows * 2);
                if (rowTime != null) {
                    rowTime = Arrays.copyOf(rowTime, rows * 2);
                }
            }
            rowUser[rows] = u;
            rowItem[rows] = item;
            if (rowTime != null) {
                rowTime[rows] = time;
            }
            rows++;
        }
        if (rows == 0) {
            throw new DataFormatException(file, 0, line == 1 ? "file is empty (header only, no interactions)"
                    : "no interactions left after the rating filter");
        }
        int numUsers = userTokens.size();
        int[] start = new int[numUsers + 1];
        for (int r = 0; r < rows; r++) {
            start[rowUser[r] + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            start[u + 1] += start[u];
        }
        int[] byUser = new int[rows]; // row indices grouped by user, file order within a user
        int[] fill = Arrays.copyOf(start, numUsers);
        for (int r = 0; r < rows; r++) {
            byUser[fill[rowUser[r]]++] = r;
        }
        int[][] seqs = new int[numUsers][];
        int[] ids = new int[numUsers];
        for (int u = 0; u < numUsers; u++) {
            int from = start[u];
            int to = start[u + 1];
            if (rowTime != null) {
                sortStableByTime(byUser, from, to, rowTime);
            }
            int[] seq = new int[to - from];
            for (int k = from; k < to; k++) {
                seq[k - from] = rowItem[byUser[k]];
            }
            seqs[u] = seq;
            ids[u] = u + 1;
        }
        SequenceDataset d = new SequenceDataset(name, ids, seqs, itemTokens.size(), file.toString(), sha);
        return new InterData(d, userTokens, itemTokens);
    }

    /** Stable sort of row indices {@code idx[from..to)} by time (common.md §1.5: ties keep file order). */
    private static void sortStableByTime(int[] idx, int from, int to, double[] time) {
        boolean sorted = true;
        for (int k = from + 1; k < to && sorted; k++) {
            sorted = Double.compare(time[idx[k - 1]], time[idx[k]]) <= 0;
        }
        if (sorted) {
            return;
        }
        List<Integer> part = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
            part.add(idx[k]);
        }
        part.sort((a, b) -> Double.compare(time[a], time[b])); // List.sort is a stable merge sort
        for (int k = from; k < to; k++) {
            idx[k] = part.get(k - from);
        }
    }

    private static double number(Path file, long line, String token, String column) {
        try {
            return Double.parseDouble(token.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, column + " " + Visible.quote(token) + " is not a number"
                    + Visible.hint(token));
        }
    }

    private static String[] split(String s, String[] unused) {
        List<String> out = new ArrayList<>(4);
        int from = 0;
        int tab;
        while ((tab = s.indexOf('\t', from)) >= 0) {
            out.add(s.substring(from, tab));
            from = tab + 1;
        }
        out.add(s.substring(from));
        return out.toArray(unused);
    }

    /** Splits on tabs into {@code out}; returns the number of fields found (which may exceed out.length). */
    private static int splitInto(String s, String[] out) {
        int n = 0;
        int from = 0;
        while (true) {
            int tab = s.indexOf('\t', from);
            int end = tab < 0 ? s.length() : tab;
            if (n < out.length) {
                out[n] = s.substring(from, end);
            }
            n++;
            if (tab < 0) {
                return n;
            }
            from = tab + 1;
        }
    }
}
