package io.seqcl.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqcl.experiment.recipe.Recipe;
import io.seqcl.experiment.recipe.Recipes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notebooks stay thin and teach: no cell defines a type, no cell holds more than {@value #MAX_LINES} lines of
 * code, every paper notebook has the teaching sections in order, states its recipe's claim and shows its recorded
 * full-budget result (or says that none is recorded), and the budget note lives in one file that the notebooks
 * link.
 */
class NotebookCellsTest {

    /** Most non-blank lines a code cell may hold. */
    static final int MAX_LINES = 10;
    /** The sections of a paper notebook, in order. */
    static final List<String> SECTIONS = List.of("## Claim", "## Method", "## Experiment", "## Result",
            "## How to read this", "## Summary", "## Exercises");

    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "(?m)^\\s*(?:(?:public|private|protected|static|final|abstract|sealed|non-sealed)\\s+)*"
                    + "(?:class|interface|enum|record|@interface)\\s+[A-Za-z_$][\\w$]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> notebooks() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("notebooks"))) {
            return s.filter(p -> p.toString().endsWith(".ipynb") && !p.toString().contains(".ipynb_checkpoints"))
                    .sorted().toList();
        }
    }

    static List<JsonNode> cells(Path nb) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(nb.toFile()).get("cells").forEach(out::add);
        return out;
    }

    static String source(JsonNode cell) {
        JsonNode s = cell.get("source");
        if (s.isArray()) {
            StringBuilder b = new StringBuilder();
            s.forEach(x -> b.append(x.asText()));
            return b.toString();
        }
        return s.asText();
    }

    /** Problems of one cell: a type declaration or too many lines (package-private for the self-test). */
    static List<String> cellProblems(String code) {
        List<String> p = new ArrayList<>();
        var m = TYPE_DECLARATION.matcher(code);
        if (m.find()) {
            p.add("defines a type ('" + m.group().trim() + "'): put it in the library");
        }
        long lines = code.lines().filter(l -> !l.isBlank()).count();
        if (lines > MAX_LINES) {
            p.add("holds " + lines + " lines (at most " + MAX_LINES + "): move the logic into the library");
        }
        return p;
    }

    @Test
    void theCellRuleCatchesClassesAndLongCells() {
        assertEquals(1, cellProblems("class Foo {\n}").size());
        assertEquals(1, cellProblems("  public static final class Foo extends Bar {}").size());
        assertEquals(1, cellProblems("record Point(int x, int y) {}").size());
        assertEquals(1, cellProblems("enum Mode { A, B }").size());
        assertEquals(1, cellProblems("x\n".repeat(MAX_LINES + 1)).size());
        assertEquals(0, cellProblems("x\n\n".repeat(MAX_LINES)).size(), "blank lines do not count");
        assertEquals(0, cellProblems("var t = Recipes.METASGCL_TABLE2; // the class of the table\nDisplay.show(t.card(b));")
                .size(), "the word 'class' in a comment or a name is not a declaration");
    }

    @Test
    void noNotebookCellDefinesATypeOrHoldsMoreThanTenLines() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path nb : notebooks()) {
            List<JsonNode> cells = cells(nb);
            for (int i = 0; i < cells.size(); i++) {
                if (cells.get(i).get("cell_type").asText().equals("code")) {
                    for (String p : cellProblems(source(cells.get(i)))) {
                        problems.add(nb + " cell " + i + ": " + p);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyPaperNotebookTeachesInOrderAndStatesItsRecipesClaim() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Recipe r : Recipes.all()) {
            if (r == Recipes.ADVINFONCE) {
                continue; // a walk-through with its own numbered sections; it states the claim and links the note
            }
            Path nb = Path.of("notebooks", r.notebook() + ".ipynb");
            StringBuilder markdown = new StringBuilder();
            StringBuilder code = new StringBuilder();
            for (JsonNode c : cells(nb)) {
                (c.get("cell_type").asText().equals("markdown") ? markdown : code).append(source(c)).append('\n');
            }
            String md = markdown.toString();
            int at = -1;
            for (String s : SECTIONS) {
                int i = md.indexOf(s + "\n");
                if (i < 0 || i < at) {
                    problems.add(nb + ": section '" + s + "' missing or out of order");
                }
                at = Math.max(at, i);
            }
            if (!md.contains(r.claim())) {
                problems.add(nb + ": does not state its recipe's claim");
            }
            if (!md.startsWith("# ") || !md.substring(0, md.indexOf('\n')).contains(r.item().split(",")[0])) {
                problems.add(nb + ": the title does not name " + r.item());
            }
            for (String e : r.exercises()) {
                if (!md.contains(e)) {
                    problems.add(nb + ": exercise missing: " + e);
                }
            }
            if (!md.contains(r.supports()) || !md.contains(r.contradicts())) {
                problems.add(nb + ": the reading guide is not the recipe's");
            }
            if (!code.toString().contains("Recipes.")) {
                problems.add(nb + ": does not read its recipe");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyPaperNotebookShowsItsRecordedFullBudgetResultBeforeTheReadingGuide() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Recipe r : Recipes.all()) {
            Path nb = Path.of("notebooks", r.notebook() + ".ipynb");
            List<JsonNode> cells = cells(nb);
            int heading = -1;
            int call = -1;
            int guide = -1;
            for (int i = 0; i < cells.size(); i++) {
                String src = source(cells.get(i));
                boolean md = cells.get(i).get("cell_type").asText().equals("markdown");
                if (md && src.startsWith("### Recorded full-budget result\n")) {
                    heading = i;
                } else if (!md && src.contains(".recordedResults()") && src.contains("Display.show")) {
                    call = i;
                } else if (md && (src.startsWith("## How to read this") || src.startsWith("## 6 "))) {
                    guide = guide < 0 ? i : guide;
                }
            }
            if (heading < 0 || call < heading || (guide >= 0 && call > guide)) {
                problems.add(nb + ": needs a '### Recorded full-budget result' section with a cell calling "
                        + "recipe.recordedResults() before the reading guide (heading " + heading + ", call " + call
                        + ", guide " + guide + ")");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theBudgetNoteIsLinkedNotCopiedAndSettingsAreReadOneWay() throws IOException {
        assertTrue(Files.exists(Path.of("notebooks", "BUDGETS.md")));
        List<String> problems = new ArrayList<>();
        for (Path nb : notebooks()) {
            String all = cells(nb).stream().map(NotebookCellsTest::source).reduce("", (a, b) -> a + "\n" + b);
            if (!all.contains("BUDGETS.md")) {
                problems.add(nb + ": does not link BUDGETS.md");
            }
            if (all.contains("**Budget.** `SEQCL_BUDGET=quick`")) {
                problems.add(nb + ": repeats the budget paragraph");
            }
            if (all.contains("System.getProperty") || all.contains("System.getenv")) {
                problems.add(nb + ": reads a setting directly (use Budget.fromEnv, recipes, io.seqcl.Settings)");
            }
            if (all.contains("once they are registered")) {
                problems.add(nb + ": stale text");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
