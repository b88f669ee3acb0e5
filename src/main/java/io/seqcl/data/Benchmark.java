package io.seqcl.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Registry of the benchmark sequence files: location, expected counts (common.md §1.3), SHA-256, the papers
 * that use each one and their maximum input length T (common.md §4).
 *
 * <p>Files are looked up under a data directory as {@code <dir>/<relativePath>} and, for a flat layout, as
 * {@code <dir>/<file name>}; see {@link Datasets#dataDir()}.
 */
public enum Benchmark {

    /** Amazon Beauty, MCLRec/ContrastVAE txt. */
    BEAUTY("beauty", "amazon-beauty/Amazon_Beauty.txt", Format.SEQUENCE_TXT, 22363, 12101, 198502,
            "226cce9c3105299ca0db9615d7d3fb32b3175e90da43100ae352599f0f0107b8", 50,
            List.of("MCLRec", "ContrastVAE"), List.of("amazon-beauty", "amazon_beauty")),
    /** The same Beauty pairs in RecBole atomic format (user and item tokens equal the txt ids). */
    BEAUTY_INTER("beauty-inter", "amazon-beauty/Amazon_Beauty.inter", Format.RECBOLE_INTER, 22363, 12101, 198502,
            "c362fc7848cf94a58ab3c5cecd9f001520e4cffc8dbacbff0c457ccdec4f4a25", 50,
            List.of("MCLRec"), List.of("amazon-beauty-inter")),
    /** Amazon Sports and Outdoors, MCLRec txt. */
    SPORTS("sports", "amazon-sports/Amazon_Sports_and_Outdoors.txt", Format.SEQUENCE_TXT, 35598, 18357, 296337,
            "2a095e0648872beb9982408958290f5d655db5be2911c3756b5446de9f0b8de2", 50,
            List.of("MCLRec"), List.of("amazon-sports", "sports-and-outdoors", "sports_and_outdoors")),
    /** Amazon Toys and Games, MCLRec/ContrastVAE txt (same counts as Meta-SGCL Table I). */
    TOYS("toys", "amazon-toys/Amazon_Toys_and_Games.txt", Format.SEQUENCE_TXT, 19412, 11924, 167597,
            "176c680c688d497598c4a89a03b402c0fe78d795e5db335c2e78dd5f2d778a3f", 50,
            List.of("Meta-SGCL", "ContrastVAE"), List.of("amazon-toys", "toys-and-games", "toys_and_games")),
    /** Toys from the IDEADLRec repository: same counts as {@link #TOYS}, different item numbering. */
    TOYS_IDEADL("toys-ideadl", "amazon-toys/Toys.txt", Format.SEQUENCE_TXT, 19412, 11924, 167597,
            "fa1cff57550387966440a93219753b97df62269455b3497612cdca3e8db0ceee", 50,
            List.of("Meta-SGCL"), List.of("toys-ideadlrec")),
    /** Amazon Clothing, Shoes and Jewelry (IDEADLRec txt; Meta-SGCL Table I counts). */
    CLOTHING("clothing", "amazon-clothing/Clothing.txt", Format.SEQUENCE_TXT, 39387, 23033, 278677,
            "9f5051aa601de52a922e6ff51fe879960ff3bf48559d81110478f0f5cc63561e", 50,
            List.of("Meta-SGCL"), List.of("amazon-clothing")),
    /** Yelp, MCLRec txt; has repeat consumption (common.md §1.3). */
    YELP("yelp", "yelp/Yelp.txt", Format.SEQUENCE_TXT, 30431, 20033, 316354,
            "724b219106b81dd2349027da997334ddb6da9fe2f152ad6e0d97a93170f7caed", 50,
            List.of("MCLRec"), List.of()),
    /** MovieLens-1M with all ratings kept (Meta-SGCL Table I counts); Meta-SGCL uses T = 200. */
    ML_1M("ml-1m", "ml-1m/ml-1m.txt", Format.SEQUENCE_TXT, 6040, 3416, 999611,
            "968d320c4936cf7cf37f67f8cf96105269abe88ecb4a753afcae46fa011447f7", 200,
            List.of("Meta-SGCL"), List.of("movielens-1m", "movielens1m"));

    /** How a benchmark file is stored. */
    public enum Format {
        /** One line per user, {@code user item item ...} ({@link SequenceFiles}). */
        SEQUENCE_TXT,
        /** RecBole atomic interaction file ({@link InterFiles}). */
        RECBOLE_INTER
    }

    private final String key;
    private final String relativePath;
    private final Format format;
    private final int users;
    private final int items;
    private final long interactions;
    private final String sha256;
    private final int maxLength;
    private final List<String> papers;
    private final List<String> aliases;

    Benchmark(String key, String relativePath, Format format, int users, int items, long interactions,
              String sha256, int maxLength, List<String> papers, List<String> aliases) {
        this.key = key;
        this.relativePath = relativePath;
        this.format = format;
        this.users = users;
        this.items = items;
        this.interactions = interactions;
        this.sha256 = sha256;
        this.maxLength = maxLength;
        this.papers = papers;
        this.aliases = aliases;
    }

    /** @return the canonical lower-case name, e.g. "ml-1m" */
    public String key() {
        return key;
    }

    /**
     * The dataset a paper's table names, as a key for per-dataset presets: the canonical name without a file
     * variant suffix ("beauty-inter" and "beauty" are both "beauty").
     *
     * @return e.g. "beauty", "toys", "ml-1m"
     */
    public String family() {
        int cut = key.lastIndexOf('-');
        return cut > 0 && !key.equals("ml-1m") ? key.substring(0, cut) : key;
    }

    /** @return the path below the data directory, e.g. "amazon-beauty/Amazon_Beauty.txt" */
    public String relativePath() {
        return relativePath;
    }

    /** @return the file name alone, used for the flat layout */
    public String fileName() {
        return Path.of(relativePath).getFileName().toString();
    }

    /** @return the file format */
    public Format format() {
        return format;
    }

    /** @return expected number of users (common.md §1.3) */
    public int users() {
        return users;
    }

    /** @return expected number of distinct items (common.md §1.3) */
    public int items() {
        return items;
    }

    /** @return expected number of interactions (common.md §1.3) */
    public long interactions() {
        return interactions;
    }

    /** @return the published file's lower-case hex SHA-256 */
    public String sha256() {
        return sha256;
    }

    /** @return the maximum input length T the papers use on this dataset (common.md §4, §7) */
    public int maxLength() {
        return maxLength;
    }

    /** @return the papers of this project that report results on this file */
    public List<String> papers() {
        return papers;
    }

    /** @return other accepted names (besides the key and the constant name) */
    public List<String> aliases() {
        return aliases;
    }

    /**
     * Finds the file in a data directory, trying {@code dir/relativePath} then {@code dir/fileName}.
     *
     * @param dir the data directory
     * @return the first existing regular file, if any
     */
    public Optional<Path> locate(Path dir) {
        for (Path p : candidates(dir)) {
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Lists the paths {@link #locate(Path)} tries, in order.
     *
     * @param dir the data directory
     * @return the nested and the flat candidate path
     */
    public List<Path> candidates(Path dir) {
        return List.of(dir.resolve(relativePath), dir.resolve(fileName()));
    }

    /**
     * Looks a benchmark up by name, ignoring case and the characters {@code - _ space}.
     *
     * @param name e.g. "beauty", "ML-1M", "ml1m", "toys_ideadl"
     * @return the benchmark, if the name is known
     */
    public static Optional<Benchmark> byName(String name) {
        String n = normalize(name);
        for (Benchmark b : values()) {
            if (normalize(b.key).equals(n) || normalize(b.name()).equals(n)) {
                return Optional.of(b);
            }
            for (String a : b.aliases) {
                if (normalize(a).equals(n)) {
                    return Optional.of(b);
                }
            }
        }
        return Optional.empty();
    }

    static String normalize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c != '-' && c != '_' && c != ' ') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
