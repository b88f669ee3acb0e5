package io.seqcl.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based tests of the loaders (jqwik): random and mutated sequence and {@code .inter} files must give
 * either a valid dataset or a {@link DataFormatException} naming the file and a line within it, never another
 * exception. Tries are kept modest (the whole class runs in a few seconds on 2 cores).
 */
class LoaderPropertiesTest {

    private static final Path FILE = Path.of("prop", "random.txt");
    private static final Path INTER = Path.of("prop", "random.inter");
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("seqcl-prop");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** A file built from lines of id-like tokens with random separators and line ends, then mutated. */
    @Property(tries = 200)
    void sequenceFilesLoadOrFailWithFileAndLine(@ForAll("sequenceFiles") byte[] content, @ForAll boolean remap) {
        check(content, FILE, () -> SequenceFiles.parse(FILE, content, "random", null,
                LoadOptions.defaults().withRemapIds(remap)), remap);
    }

    /** Arbitrary bytes. */
    @Property(tries = 100)
    void arbitraryBytesLoadOrFailWithFileAndLine(@ForAll("bytes") byte[] content) {
        check(content, FILE, () -> SequenceFiles.parse(FILE, content, "random", null), false);
        check(content, INTER, () -> InterFiles.parse(INTER, content, "random", OptionalDouble.empty()).dataset(),
                true);
    }

    /** RecBole files: random headers, tokens, ratings and timestamps, then mutated. */
    @Property(tries = 200)
    void interFilesLoadOrFailWithFileAndLine(@ForAll("interFiles") byte[] content, @ForAll boolean ratingFilter) {
        OptionalDouble min = ratingFilter ? OptionalDouble.of(3) : OptionalDouble.empty();
        check(content, INTER, () -> InterFiles.parse(INTER, content, "random", min).dataset(), true);
    }

    /** The public entry point on real files: format detection, checksums, k-core. */
    @Property(tries = 40)
    void loadFileFromDiskLoadsOrFailsWithFileAndLine(@ForAll("anyFile") byte[] content, @ForAll boolean inter,
                                                     @ForAll boolean remap) throws IOException {
        Path f = dir.resolve(inter ? "file.inter" : "file.txt");
        Files.write(f, content);
        LoadOptions o = LoadOptions.defaults().withRemapIds(remap);
        check(content, f, () -> Datasets.loadFile(f, o), remap || inter);
    }

    private static void check(byte[] content, Path file, java.util.function.Supplier<SequenceDataset> load,
                              boolean contiguous) {
        SequenceDataset d;
        try {
            d = load.get();
        } catch (DataFormatException e) {
            if (!e.file().equals(file)) {
                throw new AssertionError("exception names " + e.file() + ", not " + file, e);
            }
            String prefix = file + (e.line() > 0 ? ":" + e.line() : "") + ": ";
            if (!e.getMessage().startsWith(prefix)) {
                throw new AssertionError("message does not start with '" + prefix + "': " + e.getMessage(), e);
            }
            long lines = lines(content);
            if (e.line() < 0 || e.line() > lines) {
                throw new AssertionError("line " + e.line() + " outside 1.." + lines + ": " + e.getMessage(), e);
            }
            if (e.line() == 0 && !(e.getMessage().contains("empty") || e.getMessage().contains("no interactions"))) {
                throw new AssertionError("a whole-file error other than an empty file: " + e.getMessage(), e);
            }
            return;
        }
        // a valid dataset
        if (d.numUsers() < 1 || d.numItems() < 1) {
            throw new AssertionError("empty dataset accepted: " + d);
        }
        Set<Integer> items = new HashSet<>();
        Set<Integer> users = new HashSet<>();
        for (int u = 0; u < d.numUsers(); u++) {
            for (int i : d.sequence(u)) {
                if (i < 1 || i > d.numItems()) {
                    throw new AssertionError("item " + i + " outside 1.." + d.numItems());
                }
                items.add(i);
            }
            if (!users.add(d.userId(u))) {
                throw new AssertionError("duplicate user id " + d.userId(u));
            }
        }
        if (contiguous && items.size() != d.numItems()) {
            throw new AssertionError("remapped ids are not 1..N: " + items.size() + " distinct of " + d.numItems());
        }
        if (d.numItems() > SequenceFiles.maxItemIdAsIs(items.size())) {
            throw new AssertionError("item table " + d.numItems() + " above the bound for " + items.size() + " items");
        }
        double sparsity = DatasetStats.of(d).sparsity();
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new AssertionError("sparsity " + sparsity);
        }
    }

    /** Number of lines as the loaders count them: LF, CRLF and a lone CR end a line. */
    static long lines(byte[] b) {
        long n = 0;
        int i = 0;
        boolean open = false;
        while (i < b.length) {
            if (b[i] == '\n' || b[i] == '\r') {
                n++;
                open = false;
                if (b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\n') {
                    i++;
                }
            } else {
                open = true;
            }
            i++;
        }
        return n + (open ? 1 : 0);
    }

    // ---- generators

    /** Valid integers that stress the id handling (0, ids far above the distinct count, the largest int). */
    private static final String[] EDGE_IDS = {"0", "-0", "+3", "1021", "5000", "100000000", "2147483646",
            "2147483647"};
    /** Tokens that are never valid ids. */
    private static final String[] NASTY = {"-1", "2147483648", "99999999999", "2.5", "1e3", "x", "",
            "\uFEFF1", "1\u00A02", "\u0000", "\u00e9", "NaN", "user_id:token"};

    private static Arbitrary<String> token() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.integers().between(1, 60).map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(EDGE_IDS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(NASTY)));
    }

    private static Arbitrary<String> lineEnd() {
        return Arbitraries.of("\n", "\n", "\r\n", "\r", "\n\n");
    }

    @Provide
    Arbitrary<byte[]> sequenceFiles() {
        Arbitrary<String> line = Combinators.combine(token().list().ofMinSize(0).ofMaxSize(8),
                Arbitraries.of(" ", "\t", "  ", " \t ")).as((ids, sep) -> String.join(sep, ids));
        Arbitrary<String> text = Combinators.combine(line.list().ofMinSize(0).ofMaxSize(12), lineEnd().list()
                .ofSize(12)).as((lines, ends) -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < lines.size(); i++) {
                        sb.append(lines.get(i)).append(ends.get(i));
                    }
                    return sb.toString();
                });
        return mutated(text);
    }

    @Provide
    Arbitrary<byte[]> interFiles() {
        Arbitrary<String> header = Arbitraries.of(
                "user_id:token\titem_id:token",
                "user_id:token\titem_id:token\ttimestamp:float",
                "user_id:token\titem_id:token\trating:float\ttimestamp:float",
                "item_id:token\tuser_id:token\trating:float",
                "user_id:token\tname:token",
                "user_id\titem_id",
                "\uFEFFuser_id:token\titem_id:token",
                "");
        Arbitrary<String> field = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("u1", "u2", "u3", "A", "B", "C", "D")),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 9).map(String::valueOf)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "x", "1e309", "NaN", "4\u00A0", "-2", " 3 ")));
        Arbitrary<String> row = field.list().ofMinSize(1).ofMaxSize(5).map(f -> String.join("\t", f));
        Arbitrary<String> text = Combinators.combine(header, row.list().ofMinSize(0).ofMaxSize(10),
                lineEnd().list().ofSize(11)).as((h, rows, ends) -> {
                    StringBuilder sb = new StringBuilder(h).append(ends.get(10));
                    for (int i = 0; i < rows.size(); i++) {
                        sb.append(rows.get(i)).append(ends.get(i));
                    }
                    return sb.toString();
                });
        return mutated(text);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes().between((byte) 0x09, (byte) 0x3A).array(byte[].class)
                        .ofMaxSize(64)));
    }

    @Provide
    Arbitrary<byte[]> anyFile() {
        return Arbitraries.oneOf(sequenceFiles(), interFiles(), bytes());
    }

    /** Applies up to three byte-level mutations: insert a nasty byte sequence, delete, overwrite or truncate. */
    private static Arbitrary<byte[]> mutated(Arbitrary<String> text) {
        Arbitrary<byte[]> payload = Arbitraries.of(new byte[] {0}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, new byte[] {(byte) 0xC2, (byte) 0xA0},
                new byte[] {(byte) 0xC3}, new byte[] {'\r'}, new byte[] {'\n'}, new byte[] {'-'},
                new byte[] {'\t'}, "99999999999".getBytes(StandardCharsets.US_ASCII),
                "2147483647".getBytes(StandardCharsets.US_ASCII));
        Arbitrary<int[]> op = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 10_000)).as((kind, pos) -> new int[] {kind, pos});
        return Combinators.combine(text, op.list().ofMaxSize(3), payload.list().ofSize(3)).as((t, ops, pays) -> {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            for (int k = 0; k < ops.size(); k++) {
                b = apply(b, ops.get(k)[0], ops.get(k)[1], pays.get(k));
            }
            return b;
        });
    }

    private static byte[] apply(byte[] b, int kind, int pos, byte[] payload) {
        int at = b.length == 0 ? 0 : pos % (b.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (kind) {
            case 0 -> { // insert
                out.write(b, 0, at);
                out.write(payload, 0, payload.length);
                out.write(b, at, b.length - at);
            }
            case 1 -> { // delete one byte
                out.write(b, 0, at);
                if (at < b.length) {
                    out.write(b, at + 1, b.length - at - 1);
                }
            }
            case 2 -> { // overwrite
                out.write(b, 0, b.length);
                byte[] r = out.toByteArray();
                for (int i = 0; i < payload.length && at + i < r.length; i++) {
                    r[at + i] = payload[i];
                }
                return r;
            }
            default -> out.write(b, 0, at); // truncate
        }
        return out.toByteArray();
    }
}
