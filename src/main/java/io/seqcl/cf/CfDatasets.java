package io.seqcl.cf;

import io.seqcl.data.Checksums;
import io.seqcl.data.DataFormatException;
import io.seqcl.data.Datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Loads the AdvInfoNCE collaborative-filtering datasets (Coat, Yahoo!R3) from {@link Datasets#dataDir()}
 * ({@code SEQCL_DATA}), and builds a small synthetic CF dataset with known cluster structure for tests.
 *
 * <p>Files: {@code <dir>/train.txt, valid.txt, test_id.txt, test_ood.txt} (advinfonce.md §1). Each file is
 * checked against the SHA-256 listed in {@code data/SHA256SUMS} and the counts of advinfonce.md §1; a mismatch
 * raises a {@link DataFormatException} naming the file. KuaiRec and Tencent are not registered (their train
 * files are not public in processed form; see data/README.md).
 */
public final class CfDatasets {

    /** A registered CF dataset. */
    public enum Entry {
        /** Coat (Schnabel et al. 2016) as split by AdvInfoNCE: 290 users, 295 items, 1,363 training pairs. */
        COAT("coat", "coat", 290, 295, 1363, Map.of(
                "train", "e6c6a8727feeeae27d09c802b12d2d4a88e52aa75e4a3fd17fab439901483d5a",
                "valid", "00e3d3d1a567e4ab6f3e0f7e35a849da6221afb0df767a9ce423df58938b849e",
                "test_id", "e77d3a6af25cb0292e79a7659a075429b8df6c86559522c657e84a48bd23f685",
                "test_ood", "e77d3a6af25cb0292e79a7659a075429b8df6c86559522c657e84a48bd23f685")),
        /** Yahoo!R3 (Yahoo Webscope) as split by AdvInfoNCE: 14,382 users, 1,000 items, 88,684 training pairs. */
        YAHOO("yahoo", "yahoo.new", 14382, 1000, 88684, Map.of(
                "train", "cca11ae2c3baba4573a1451c8f892e1eb3d63aac4af6a2348f05ffc316ba98e6",
                "valid", "ab7c0b345cac632fd65dfe5481b34e63d5aed2d3fb1546660bd84f7796c70aac",
                "test_id", "358efe3c475f09f30073c9fcb9b7032ed371d5eddf2ca94ec565c4cc6d976a86",
                "test_ood", "358efe3c475f09f30073c9fcb9b7032ed371d5eddf2ca94ec565c4cc6d976a86"));

        private final String key;
        private final String folder;
        private final int users;
        private final int items;
        private final long train;
        private final Map<String, String> sha;

        Entry(String key, String folder, int users, int items, long train, Map<String, String> sha) {
            this.key = key;
            this.folder = folder;
            this.users = users;
            this.items = items;
            this.train = train;
            this.sha = sha;
        }

        /** @return the registry key ("coat", "yahoo") */
        public String key() {
            return key;
        }

        /** @return the folder under the data directory */
        public String folder() {
            return folder;
        }
    }

    /** Split files in load order. */
    public static final List<String> FILES = List.of("train", "valid", "test_id", "test_ood");

    private CfDatasets() {
    }

    /**
     * Resolves a name: "coat", "yahoo", "yahoo.new", "yahoor3", "Yahoo!R3" (case-insensitive).
     *
     * @param name the name
     * @return the entry
     * @throws IllegalArgumentException listing the known names
     */
    public static Entry entry(String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (Entry e : Entry.values()) {
            if (n.equals(e.key) || n.equals(e.folder.replace(".", "")) || (e == Entry.YAHOO && n.equals("yahoor3"))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown CF dataset '" + name + "'; known: coat, yahoo");
    }

    /**
     * @param name a dataset name
     * @return true if all four split files exist under {@link Datasets#dataDir()}
     */
    public static boolean isAvailable(String name) {
        Path dir = Datasets.dataDir().resolve(entry(name).folder);
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f + ".txt")));
    }

    /**
     * Loads a registered dataset if its files are in the data directory, otherwise (with a message) a synthetic
     * dataset with cluster structure (600 users, 300 items), so that notebooks run on a fresh clone.
     *
     * @param name "coat" or "yahoo"
     * @return the dataset
     */
    public static CfDataset loadOrSynthetic(String name) {
        Datasets.requireConfiguredDataDir(); // a mistyped SEQCL_DATA never falls back silently
        if (isAvailable(name)) {
            return load(name);
        }
        System.out.println("dataset '" + name + "' is not in " + Datasets.dataDir()
                + " (see data/README.md); using a synthetic CF dataset instead");
        return synthetic(600, 300, 6, 20, 0.8, 7);
    }

    /**
     * Loads a registered dataset from {@link Datasets#dataDir()}, verifying checksums and counts.
     *
     * @param name "coat" or "yahoo"
     * @return the dataset
     * @throws DataFormatException if a file is missing (the message names the directory, where it came from,
     *         and data/fetch.sh), malformed (file:line), or differs from the published file
     */
    public static CfDataset load(String name) {
        Entry e = entry(name);
        Path dir = Datasets.dataDir().resolve(e.folder);
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, String> sums = new LinkedHashMap<>();
        for (String f : FILES) {
            Path p = dir.resolve(f + ".txt");
            if (!Files.isRegularFile(p)) {
                throw new DataFormatException(p, 0, "CF dataset '" + e.key + "' is incomplete: " + p.getFileName()
                        + " not found in " + dir.toAbsolutePath() + " (data directory from " + Datasets.DATA_ENV
                        + " / -D" + Datasets.DATA_PROPERTY + ", default data/). Run data/fetch.sh " + e.key
                        + " or set " + Datasets.DATA_ENV + " to the directory holding " + e.folder + "/");
            }
            String bad = Checksums.mismatch(p, e.sha.get(f));
            if (bad != null) {
                throw new DataFormatException(p, 0, bad);
            }
            files.put(f, p);
            sums.put(f + ".txt", e.sha.get(f));
        }
        CfDataset d = CfFiles.load(e.key, dir.toString(), files, sums);
        if (d.numUsers() != e.users || d.numItems() != e.items || d.numTrain() != e.train) {
            throw new DataFormatException(dir.resolve("train.txt"), 0, "counts " + d.numUsers() + "/"
                    + d.numItems() + "/" + d.numTrain() + " differ from advinfonce.md §1: " + e.users + "/"
                    + e.items + "/" + e.train);
        }
        return d;
    }

    /**
     * Loads split files from any directory without registry checks (for user data).
     *
     * @param name a name for the dataset
     * @param dir directory with train.txt, valid.txt and any number of test*.txt files
     * @return the dataset (tests in file-name order)
     */
    public static CfDataset loadDirectory(String name, Path dir) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("train", dir.resolve("train.txt"));
        files.put("valid", dir.resolve("valid.txt"));
        try (var s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("test") && f.endsWith(".txt")).sorted()
                    .forEach(f -> files.put(f.substring(0, f.length() - 4), dir.resolve(f)));
        } catch (java.io.IOException ex) {
            throw new DataFormatException(dir, 0, "cannot list directory: " + ex);
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            sums.put(f.getKey() + ".txt", Checksums.sha256(f.getValue()));
        }
        return CfFiles.load(name, dir.toString(), files, sums);
    }

    /**
     * A synthetic CF dataset with known structure: users and items belong to {@code clusters} groups; each user
     * draws {@code perUser} distinct items, a fraction {@code affinity} from their own group (popularity-skewed
     * within the group, Zipf exponent 1) and the rest uniformly from all items. Items are split per user at
     * random into train (70%), valid (10%) and test (20%, written as both {@code test_id} and {@code test_ood},
     * like the published files).
     *
     * @param users number of users
     * @param items number of items
     * @param clusters number of groups
     * @param perUser interactions per user
     * @param affinity probability that an interaction is in the user's group
     * @param seed random seed
     * @return the dataset
     */
    public static CfDataset synthetic(int users, int items, int clusters, int perUser, double affinity, long seed) {
        if (users < 2 || items < 2 * perUser || clusters < 1 || perUser < 4 || !(affinity >= 0 && affinity <= 1)) {
            throw new IllegalArgumentException("invalid synthetic CF settings: users=" + users + " items=" + items
                    + " clusters=" + clusters + " perUser=" + perUser + " affinity=" + affinity);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> groups = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < items; i++) {
            groups.get(i % clusters).add(i);
        }
        int[][] tr = new int[users][];
        int[][] va = new int[users][];
        int[][] te = new int[users][];
        for (int u = 0; u < users; u++) {
            List<Integer> g = groups.get(u % clusters);
            double[] cdf = new double[g.size()];
            double z = 0;
            for (int r = 0; r < g.size(); r++) {
                z += 1.0 / (r + 1);
                cdf[r] = z;
            }
            java.util.LinkedHashSet<Integer> chosen = new java.util.LinkedHashSet<>();
            while (chosen.size() < perUser) {
                if (rng.nextDouble() < affinity) {
                    double x = rng.nextDouble() * z;
                    int r = Arrays.binarySearch(cdf, x);
                    r = r >= 0 ? r : -r - 1;
                    chosen.add(g.get(Math.min(r, g.size() - 1)));
                } else {
                    chosen.add(rng.nextInt(items));
                }
            }
            int[] all = chosen.stream().mapToInt(Integer::intValue).toArray();
            for (int k = all.length - 1; k > 0; k--) {
                int j = rng.nextInt(k + 1);
                int t = all[k];
                all[k] = all[j];
                all[j] = t;
            }
            int nTest = Math.max(1, perUser / 5);
            int nValid = Math.max(1, perUser / 10);
            te[u] = Arrays.copyOfRange(all, 0, nTest);
            va[u] = Arrays.copyOfRange(all, nTest, nTest + nValid);
            tr[u] = Arrays.copyOfRange(all, nTest + nValid, all.length);
        }
        Map<String, int[][]> splits = new LinkedHashMap<>();
        splits.put(CfDataset.VALID, va);
        splits.put("test_id", te);
        splits.put("test_ood", te);
        return new CfDataset("synthetic-cf", "synthetic CF: " + users + " users, " + items + " items, " + clusters
                + " clusters, " + perUser + " per user, affinity " + affinity + ", seed " + seed, users, items, tr,
                splits, Map.of());
    }
}
