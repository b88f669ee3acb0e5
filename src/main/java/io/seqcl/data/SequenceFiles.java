package io.seqcl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CoSeRec-style sequence text files: one line per user, {@code user item item ...} (common.md §1.4).
 *
 * <p>Tokens are separated by spaces or tabs; lines end with {@code \n}, {@code \r\n} or a lone {@code \r}
 * (old Mac files), and a UTF-8 byte-order mark at the start of the file is skipped. Items are already in
 * chronological order (common.md §1.5). Blank lines are skipped. Every problem is reported as a
 * {@link DataFormatException} naming the file and the 1-based line; characters a reader cannot see (a
 * byte-order mark inside the file, a no-break space, control characters) are shown as <code>&#92;uXXXX</code>.
 *
 * <p>Ids: user ids are labels (they are never embedded) and may be any integer in {@code 0..2^31-1}. Item ids
 * are used as-is by default: items are {@code 1..N} with {@code N} the largest id seen and 0 reserved for padding
 * (common.md, Notation). Because {@code N} sizes every model's item table, a file whose largest item id is far
 * above its number of distinct items is rejected: the largest id allowed is {@link #maxItemIdAsIs(int)}
 * {@code = 2 * distinct + 1000}. Files with 0-based ids, gaps, or ids from a large catalogue are loaded with
 * {@link LoadOptions#withRemapIds(boolean) remapping}: the distinct item ids (any value in
 * {@code 0..2^31-1}) are renumbered {@code 1..N} in ascending order of the original ids, so a 0-based
 * contiguous file becomes {@code id + 1}.
 *
 * <p>The parser works on the raw bytes without regular expressions, so the 4 MB ML-1M file parses in a few tens
 * of milliseconds.
 */
public final class SequenceFiles {

    /** Absolute slack in {@link #maxItemIdAsIs(int)}: small files may leave up to this many ids unused. */
    public static final int ID_SLACK = 1000;

    private SequenceFiles() {
    }

    /**
     * The largest item id accepted without remapping for a file with a given number of distinct items:
     * {@code 2 * distinctItems + }{@value #ID_SLACK}. At most about half of the item table may be unused ids
     * (which would also be ranked as candidates by the full-ranking evaluation); beyond that, load with
     * {@link LoadOptions#withRemapIds(boolean)}.
     *
     * @param distinctItems number of distinct item ids in the file
     * @return the bound
     */
    public static long maxItemIdAsIs(int distinctItems) {
        return 2L * distinctItems + ID_SLACK;
    }

    /**
     * Reads a sequence file and names the dataset after the file (without extension), ids as-is.
     *
     * @param file the text file
     * @return the dataset; its {@link SequenceDataset#sha256()} is the file's checksum
     * @throws DataFormatException if the file is missing, empty or malformed
     */
    public static SequenceDataset read(Path file) {
        return read(file, baseName(file));
    }

    /**
     * Reads a sequence file under a given dataset name, ids as-is.
     *
     * @param file the text file
     * @param name the dataset name, e.g. "beauty"
     * @return the dataset; its {@link SequenceDataset#sha256()} is the file's checksum
     * @throws DataFormatException if the file is missing, empty or malformed
     */
    public static SequenceDataset read(Path file, String name) {
        return read(file, name, LoadOptions.defaults());
    }

    /**
     * Reads a sequence file, named after the file, with options (id remapping, k-core).
     *
     * @param file the text file
     * @param options {@link LoadOptions#remapIds()} and {@link LoadOptions#kCore()} are applied
     * @return the dataset
     * @throws DataFormatException if the file is missing, empty or malformed
     */
    public static SequenceDataset read(Path file, LoadOptions options) {
        return read(file, baseName(file), options);
    }

    /**
     * Reads a sequence file under a given name with options (id remapping, k-core).
     *
     * @param file the text file
     * @param name the dataset name
     * @param options {@link LoadOptions#remapIds()} and {@link LoadOptions#kCore()} are applied
     * @return the dataset; its {@link SequenceDataset#sha256()} is the file's checksum
     * @throws DataFormatException if the file is missing, empty or malformed
     */
    public static SequenceDataset read(Path file, String name, LoadOptions options) {
        byte[] bytes = readBytes(file);
        String sha = Checksums.rememberBytes(file, bytes);
        return parse(file, bytes, name, sha, options);
    }

    /**
     * Parses sequence-file content that is already in memory, ids as-is.
     *
     * @param file the file the bytes came from (used in messages and as the source)
     * @param bytes the file content (ASCII/UTF-8)
     * @param name the dataset name
     * @param sha256 the checksum to record, or {@code null}
     * @return the dataset
     * @throws DataFormatException if the content is empty or malformed
     */
    public static SequenceDataset parse(Path file, byte[] bytes, String name, String sha256) {
        return parse(file, bytes, name, sha256, LoadOptions.defaults());
    }

    /**
     * Parses sequence-file content that is already in memory.
     *
     * @param file the file the bytes came from (used in messages and as the source)
     * @param bytes the file content (ASCII/UTF-8)
     * @param name the dataset name
     * @param sha256 the checksum to record, or {@code null}
     * @param options {@link LoadOptions#remapIds()} and {@link LoadOptions#kCore()} are applied
     * @return the dataset
     * @throws DataFormatException if the content is empty or malformed
     */
    public static SequenceDataset parse(Path file, byte[] bytes, String name, String sha256, LoadOptions options) {
        boolean remap = options.remapIds();
        List<int[]> sequences = new ArrayList<>();
        int[] userIds = new int[1024];
        Map<Integer, Long> firstLineOfUser = new HashMap<>();
        int[] buf = new int[256];
        int maxItem = 0;
        long lineOfMax = 0;
        long total = 0;
        long line = 0;
        int n = bytes.length;
        int pos = n >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                ? 3 : 0;
        while (pos < n) {
            line++;
            int end = pos;
            while (end < n && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            int count = 0;
            int p = pos;
            while (true) {
                while (p < end && isSpace(bytes[p])) {
                    p++;
                }
                if (p >= end) {
                    break;
                }
                int start = p;
                while (p < end && !isSpace(bytes[p])) {
                    p++;
                }
                int id = parseId(file, line, bytes, start, p, count == 0, remap);
                if (count == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                buf[count++] = id;
            }
            pos = end + 1;
            if (end + 1 < n && bytes[end] == '\r' && bytes[end + 1] == '\n') {
                pos = end + 2; // CRLF is one line end
            }
            if (count == 0) {
                continue; // blank line
            }
            int user = buf[0];
            if (count == 1) {
                throw new DataFormatException(file, line, "user " + user + " has no items");
            }
            Long previous = firstLineOfUser.putIfAbsent(user, line);
            if (previous != null) {
                throw new DataFormatException(file, line, "duplicate user " + user
                        + " (already on line " + previous + ")");
            }
            int[] seq = Arrays.copyOfRange(buf, 1, count);
            for (int item : seq) {
                if (item > maxItem) {
                    maxItem = item;
                    lineOfMax = line;
                }
            }
            total += seq.length;
            if (sequences.size() == userIds.length) {
                userIds = Arrays.copyOf(userIds, userIds.length * 2);
            }
            userIds[sequences.size()] = user;
            sequences.add(seq);
        }
        if (sequences.isEmpty()) {
            throw new DataFormatException(file, 0, "file is empty (no user lines)");
        }
        int[][] seqs = sequences.toArray(new int[0][]);
        int numItems;
        if (remap) {
            int[] distinct = distinctItems(seqs, total);
            for (int[] s : seqs) {
                for (int t = 0; t < s.length; t++) {
                    s[t] = Arrays.binarySearch(distinct, s[t]) + 1;
                }
            }
            numItems = distinct.length;
        } else {
            // distinct <= total, so a maximum above 2 * total + slack is rejected without counting
            int distinct = maxItem <= maxItemIdAsIs((int) Math.min(Integer.MAX_VALUE / 2 - ID_SLACK, total))
                    ? countDistinct(seqs, maxItem) : distinctItems(seqs, total).length;
            if (maxItem > maxItemIdAsIs(distinct)) {
                throw new DataFormatException(file, lineOfMax, "item id " + maxItem + " is far above the "
                        + distinct + " distinct item ids of the file: ids are used as-is, so every model would need "
                        + ((long) maxItem + 1) + " item rows (the largest id allowed as-is is 2 x distinct + "
                        + ID_SLACK + " = " + maxItemIdAsIs(distinct) + "). Renumber the items 1..N, or load with id "
                        + "remapping: LoadOptions.defaults().withRemapIds(true) (command line: --remap-ids)");
            }
            numItems = maxItem;
        }
        SequenceDataset d = new SequenceDataset(name, Arrays.copyOf(userIds, seqs.length), seqs, numItems,
                file.toString(), sha256);
        return Datasets.applyKCore(d, options.kCore());
    }

    private static int countDistinct(int[][] seqs, int maxItem) {
        boolean[] seen = new boolean[maxItem + 1];
        int distinct = 0;
        for (int[] s : seqs) {
            for (int i : s) {
                if (!seen[i]) {
                    seen[i] = true;
                    distinct++;
                }
            }
        }
        return distinct;
    }

    /** Sorted distinct item ids. */
    private static int[] distinctItems(int[][] seqs, long total) {
        int[] all = new int[Math.toIntExact(total)];
        int k = 0;
        for (int[] s : seqs) {
            System.arraycopy(s, 0, all, k, s.length);
            k += s.length;
        }
        Arrays.sort(all);
        int m = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[m++] = all[i];
            }
        }
        return Arrays.copyOf(all, m);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\f' || b == 0x0B;
    }

    private static int parseId(Path file, long line, byte[] b, int start, int end, boolean user, boolean remap) {
        String what = user ? "user" : "item";
        int i = start;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        if (i == end) {
            throw notInteger(file, line, b, start, end, what);
        }
        long value = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw notInteger(file, line, b, start, end, what);
            }
            value = value * 10 + d;
            if (value > Integer.MAX_VALUE) {
                String t = token(b, start, end);
                throw new DataFormatException(file, line, what + " " + Visible.quote(t) + " is too large (max "
                        + Integer.MAX_VALUE + ")" + Visible.hint(t));
            }
        }
        if (negative && value != 0) {
            throw new DataFormatException(file, line, what + " id " + token(b, start, end) + " is negative"
                    + (user ? " (user ids must be in 0.." + Integer.MAX_VALUE + ")"
                    : " (item ids must be positive; 0 is reserved for padding)"));
        }
        if (value == 0 && !user && !remap) {
            throw new DataFormatException(file, line, "item id " + token(b, start, end)
                    + " is not positive (item ids start at 1; 0 is reserved for padding). For a file with 0-based"
                    + " ids load with id remapping: LoadOptions.defaults().withRemapIds(true) (command line:"
                    + " --remap-ids)");
        }
        return (int) value;
    }

    private static DataFormatException notInteger(Path file, long line, byte[] b, int start, int end, String what) {
        String t = token(b, start, end);
        return new DataFormatException(file, line, what + " " + Visible.quote(t) + " is not an integer"
                + Visible.hint(t));
    }

    private static String token(byte[] b, int start, int end) {
        return new String(b, start, Math.min(end - start, 200), java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "file not found");
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read file: " + e);
        }
    }

    static String baseName(Path file) {
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
