package io.seqcl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads every file of the broken-input corpus ({@code src/test/resources/io/seqcl/data/broken}) with
 * {@link Datasets#loadFile(Path, LoadOptions)} and checks the outcome listed in its {@code expectations.tsv}.
 */
class BrokenFilesTest {

    private static Path corpus() {
        try {
            return Path.of(BrokenFilesTest.class.getResource("broken/expectations.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String row : Files.readAllLines(corpus().resolve("expectations.tsv"), StandardCharsets.UTF_8)) {
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            String[] f = row.split("\t", -1);
            if (f.length != 3) {
                throw new IllegalStateException("expectations.tsv: expected 3 tab-separated columns in '" + row + "'");
            }
            out.add(Arguments.of(f[0], f[1].equals("remap"), f[2]));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} remap={1}: {2}")
    @MethodSource("cases")
    void fileGivesTheExpectedOutcome(String name, boolean remap, String expected) {
        Path file = corpus().resolve(name);
        LoadOptions options = LoadOptions.defaults().withRemapIds(remap);
        String[] e = expected.split(" ", 3);
        if (e[0].equals("ok")) {
            SequenceDataset d = Datasets.loadFile(file, options);
            assertEquals(Integer.parseInt(e[1]), d.numUsers(), "users of " + name);
            assertEquals(Integer.parseInt(e[2]), d.numItems(), "items of " + name);
            return;
        }
        assertEquals("error", e[0], "outcome must be ok or error: " + expected);
        DataFormatException x = assertThrows(DataFormatException.class, () -> Datasets.loadFile(file, options),
                name + " should fail");
        assertEquals(file, x.file());
        assertEquals(Long.parseLong(e[1]), x.line(), x.getMessage());
        String prefix = file + (x.line() > 0 ? ":" + x.line() : "") + ": ";
        assertTrue(x.getMessage().startsWith(prefix), x.getMessage());
        assertTrue(x.getMessage().contains(e[2]), "expected '" + e[2] + "' in: " + x.getMessage());
    }

    @Test
    void everyCorpusFileHasAnExpectation() throws IOException {
        Set<String> listed = new HashSet<>();
        for (Arguments a : cases()) {
            listed.add((String) a.get()[0]);
        }
        try (var files = Files.list(corpus())) {
            List<String> missing = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("expectations.tsv") && !n.equals("README.md") && !n.startsWith("."))
                    .filter(n -> !listed.contains(n)).toList();
            assertTrue(missing.isEmpty(), "files without a row in expectations.tsv: " + missing);
        }
    }
}
