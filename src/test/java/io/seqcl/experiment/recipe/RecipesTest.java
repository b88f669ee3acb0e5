package io.seqcl.experiment.recipe;

import io.seqcl.experiment.Budget;
import io.seqcl.experiment.MetaSGCLExperiments;
import io.seqcl.notebook.Plots;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipesTest {

    /** The datasets each figure or table shows (experiments.md section 0, column "datasets"). */
    private static final Map<String, List<String>> PAPER_DATASETS = Map.ofEntries(
            Map.entry("metasgcl/01-overall-table2", List.of("clothing", "toys", "ml-1m")),
            Map.entry("metasgcl/02-meta-vs-joint-fig3", List.of("clothing", "toys", "ml-1m")),
            Map.entry("metasgcl/03-ablation-table3", List.of("clothing", "toys", "ml-1m")),
            Map.entry("metasgcl/04-hyperparameters-fig4-tables4-7", List.of("clothing", "toys")),
            Map.entry("metasgcl/05-noise-robustness-fig5", List.of("toys", "clothing")),
            Map.entry("metasgcl/06-embeddings-fig6", List.of("clothing", "toys", "ml-1m")),
            Map.entry("mclrec/01-overall-table3", List.of("sports", "beauty", "yelp")),
            Map.entry("mclrec/02-ablation-table4", List.of("sports", "beauty", "yelp")),
            Map.entry("mclrec/03-meta-vs-joint-fig3", List.of("sports", "beauty", "yelp")),
            Map.entry("mclrec/04-batch-size-fig4", List.of("sports", "yelp")),
            Map.entry("mclrec/05-lambda-beta-fig6", List.of("sports", "beauty", "yelp")),
            Map.entry("mclrec/06-test-noise-fig7", List.of("sports", "yelp")),
            Map.entry("mclrec/07-user-groups-fig8", List.of("sports", "yelp")),
            Map.entry("mclrec/08-learned-views-fig2-fig5", List.of("sports", "yelp")),
            Map.entry("contrastvae/01-contrastvae-vs-sasrec-metasgcl", List.of("beauty", "toys")),
            Map.entry("contrastvae/02-posterior-collapse", List.of("beauty", "toys")),
            Map.entry("advinfonce/01-advinfonce", List.of("coat", "yahoo")));

    @Test
    void everyRecipeHasItsNotebookAndTheFullBudgetRunsEveryDatasetThePaperShows() {
        assertEquals(PAPER_DATASETS.keySet(), new HashSet<>(Recipes.all().stream().map(Recipe::notebook).toList()));
        for (Recipe r : Recipes.all()) {
            assertTrue(Files.exists(Path.of("notebooks", r.notebook() + ".ipynb")), r.notebook());
            assertEquals(PAPER_DATASETS.get(r.notebook()), r.datasets(Budget.FULL, null), r.notebook());
            assertEquals(1, r.datasets(Budget.QUICK, null).size() + (r == Recipes.ADVINFONCE ? -1 : 0),
                    r.notebook() + ": quick runs one dataset (AdvInfoNCE: Coat and Yahoo!R3, both small)");
        }
    }

    @Test
    void datasetsOverrideAndLookUp() {
        Recipe r = Recipes.MCLREC_FIG7;
        assertEquals(List.of("beauty"), r.datasets(Budget.QUICK, ""));
        assertEquals(List.of("yelp", "beauty"), r.datasets(Budget.FULL, " yelp, beauty ,"));
        assertThrows(IllegalArgumentException.class, () -> r.datasets(Budget.FULL, " , "));
        assertEquals(r, Recipes.of("notebooks/mclrec/06-test-noise-fig7.ipynb"));
        var e = assertThrows(NoSuchElementException.class, () -> Recipes.of("mclrec/99-nothing"));
        assertTrue(e.getMessage().contains("mclrec/01-overall-table3"));
    }

    @Test
    void gridsAreThePapersAndQuickPicksSomeOfThem() {
        assertArrayEquals(new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5}, Recipes.METASGCL_FIG5.values(Budget.FULL));
        assertArrayEquals(new double[] {0, 0.05, 0.1, 0.15, 0.2, 0.3}, Recipes.MCLREC_FIG7.values(Budget.FULL));
        assertArrayEquals(new int[] {64, 128, 256}, Recipes.MCLREC_FIG4.ints(Budget.FULL));
        assertArrayEquals(new int[] {64, 256}, Recipes.MCLREC_FIG4.ints(Budget.QUICK));
        for (Recipe r : List.of(Recipes.METASGCL_FIG5, Recipes.MCLREC_FIG4, Recipes.MCLREC_FIG6, Recipes.MCLREC_FIG7)) {
            for (double q : r.values(Budget.QUICK)) {
                assertTrue(java.util.Arrays.stream(r.values(Budget.FULL)).anyMatch(f -> f == q), r.notebook() + " " + q);
            }
        }
        assertThrows(IllegalStateException.class, () -> Recipes.METASGCL_TABLE2.values(Budget.FULL));
        double[] v = Recipes.METASGCL_FIG5.values(Budget.FULL);
        v[0] = 9;
        assertEquals(0, Recipes.METASGCL_FIG5.values(Budget.FULL)[0], "values are copies");
    }

    @Test
    void aRecipeWithoutClaimOrWithOneExerciseIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Recipe("x/1", "P", "Fig. 1", " ",
                List.of("toys"), "toys", false, null, "s", "c", List.of("a", "b")));
        assertTrue(e.getMessage().contains("claim"));
        e = assertThrows(IllegalArgumentException.class, () -> new Recipe("x/1", "P", "Fig. 1", "claim",
                List.of("toys"), "toys", false, null, "s", "c", List.of("a")));
        assertTrue(e.getMessage().contains("exercises"));
    }

    @Test
    void cardListsClaimDatasetsAndReadingGuide() {
        Table card = Recipes.MCLREC_FIG4.card(Budget.FULL);
        List<String> values = card.stringColumn("value").asList();
        assertTrue(values.contains(Recipes.MCLREC_FIG4.claim()));
        assertTrue(values.contains("sports, yelp"));
        assertTrue(values.contains("batch size {64, 128, 256} (quick {64, 256})"), values.toString());
        assertTrue(values.contains(Recipes.MCLREC_FIG4.supports()));
        assertTrue(values.get(2).startsWith("full: "), values.get(2));
        String quick = Recipes.MCLREC_FIG4.card(Budget.QUICK).stringColumn("value").get(2);
        assertTrue(quick.startsWith("quick: the 1000 most frequent items, 2000 of the users") // a sweep notebook
                && quick.contains("5 epochs of at most 20 batches of 128") && quick.contains("DuoRec 20 epochs"), quick);
        String table = Recipes.METASGCL_TABLE2.card(Budget.QUICK).stringColumn("value").get(2);
        assertTrue(table.contains("up to 5000 users") && table.contains(" 8 epochs") && table.contains("DuoRec 32 epochs"),
                table);
    }

    @Test
    void pairDistancesOnAHandMadeMap() {
        // model "A": positives 1 apart, negatives farther; model "B": everything at one point except a unit offset
        StringColumn model = StringColumn.create("model");
        StringColumn view = StringColumn.create("view");
        IntColumn seq = IntColumn.create("sequence");
        DoubleColumn x = DoubleColumn.create("x");
        DoubleColumn y = DoubleColumn.create("y");
        double[][] a1 = {{0, 0}, {10, 0}};
        double[][] a2 = {{0, 1}, {10, 1}};
        for (int i = 0; i < 2; i++) {
            for (int v = 0; v < 2; v++) {
                model.append("A");
                view.append("z" + (v + 1));
                seq.append(i);
                double[] p = v == 0 ? a1[i] : a2[i];
                x.append(p[0]);
                y.append(p[1]);
            }
        }
        Table t = Table.create("views", model, view, seq, x, y);
        Table d = Results.pairDistances(t);
        assertEquals(1.0, d.doubleColumn("positive_distance").get(0), 1e-12);
        // negatives: (0,0)-(10,0) 10, (0,0)-(10,1) sqrt(101), (0,1)-(10,0) sqrt(101), (0,1)-(10,1) 10
        double neg = (10 + Math.sqrt(101)) / 2;
        assertEquals(neg, d.doubleColumn("negative_distance").get(0), 1e-12);
        assertEquals(neg, d.doubleColumn("ratio").get(0), 1e-12);
        assertEquals(2, Results.viewSpread(t).rowCount());
        var e = assertThrows(IllegalArgumentException.class, () -> Results.metric(t, "HR@10"));
        assertTrue(e.getMessage().contains("metric"));
        assertEquals(1, Plots.scatterEach(t, "model", "x", "y", "view", "map").length);
    }

    @Test
    void popularityBandsFollowTheTrainingCountRank() {
        long[] counts = new long[201];
        for (int i = 1; i <= 200; i++) {
            counts[i] = i; // item 200 is the most popular
        }
        assertEquals("top 1%", MetaSGCLExperiments.popularityBand(counts, 200));
        assertEquals("top 1%", MetaSGCLExperiments.popularityBand(counts, 199));
        assertEquals("top 1-10%", MetaSGCLExperiments.popularityBand(counts, 198));
        assertEquals("top 10-50%", MetaSGCLExperiments.popularityBand(counts, 180));
        assertEquals("bottom 50%", MetaSGCLExperiments.popularityBand(counts, 100));
        long[] skewed = new long[101];
        java.util.Arrays.fill(skewed, 1);
        skewed[0] = 0;
        for (int i = 1; i <= 30; i++) {
            skewed[i] = 100 - i; // 30 distinct popular items, 70 items seen once
        }
        assertEquals("bottom 50%", MetaSGCLExperiments.popularityBand(skewed, 50), "items seen once are the tail");
        assertEquals("top 1%", MetaSGCLExperiments.popularityBand(skewed, 1));
        assertEquals("top 10-50%", MetaSGCLExperiments.popularityBand(skewed, 30));
    }
}
