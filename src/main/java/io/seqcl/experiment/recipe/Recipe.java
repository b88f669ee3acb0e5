package io.seqcl.experiment.recipe;

import io.seqcl.Settings;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.experiment.RecordedResults;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What one notebook reproduces: a figure or table of a paper, the claim the paper makes with it, the datasets the
 * paper shows, the grid it varies, and how to read the result (what would support or contradict the claim) with
 * a few exercises. The notebooks read their datasets and grids from here, so the cells stay a few lines and every
 * notebook reads its settings the same way ({@link #datasets(Budget)}).
 *
 * <p>The prose a notebook shows (claim, reading guide, exercises) is the same text; {@code NotebookStructureTest}
 * checks that each paper notebook states its recipe's claim and has the teaching sections in order.
 *
 * @param notebook the notebook, relative to {@code notebooks/} without extension, e.g. "metasgcl/01-overall-table2"
 * @param paper the paper, e.g. "Meta-SGCL (Hao et al., arXiv 2310.13925)"
 * @param item the paper's figure or table, e.g. "Table II"
 * @param claim the claim the paper makes with this item, in one or two sentences
 * @param datasets every dataset the paper shows in this item (registry keys), run at the full budget
 * @param quickDataset the dataset of the quick budget (the smallest that fits; not always one the item shows);
 *     comma-separated when the quick budget runs several
 * @param sweep whether the notebook trains many models (then the quick budget uses the smaller sweep sample)
 * @param grid the values the item varies, or null when it varies nothing numeric (model comparisons)
 * @param supports what in our result would support the claim
 * @param contradicts what in our result would contradict it
 * @param exercises two or three changes of one parameter a student can try
 * @param recorded where the full-budget runs of this item are recorded under {@code notebooks/results/} and how
 *     they meet the paper's numbers ({@link RecordedResults}), or null when none is recorded
 */
public record Recipe(String notebook, String paper, String item, String claim, List<String> datasets,
                     String quickDataset, boolean sweep, Grid grid, String supports, String contradicts,
                     List<String> exercises, RecordedResults.Source recorded) {

    /**
     * The values an experiment varies: the paper's grid at the full budget and a few of them at the quick budget.
     *
     * @param name what varies, e.g. "noise ratio"
     * @param full the paper's values
     * @param quick the values of the quick budget (usually a subset of {@code full})
     */
    public record Grid(String name, double[] full, double[] quick) {

        /**
         * Checks the grid.
         *
         * @throws IllegalArgumentException if a list is empty
         */
        public Grid {
            Objects.requireNonNull(name, "name");
            if (full == null || full.length == 0 || quick == null || quick.length == 0) {
                throw new IllegalArgumentException("grid '" + name + "' needs full and quick values");
            }
            full = full.clone();
            quick = quick.clone();
        }

        /**
         * The values a budget runs.
         *
         * @param budget the budget
         * @return a copy of the full or the quick values
         */
        public double[] values(Budget budget) {
            return (budget == Budget.FULL ? full : quick).clone();
        }

        /**
         * The values a budget runs, as integers (batch sizes, item counts).
         *
         * @param budget the budget
         * @return the values rounded to int
         */
        public int[] ints(Budget budget) {
            return Arrays.stream(values(budget)).mapToInt(v -> (int) Math.round(v)).toArray();
        }

        @Override
        public String toString() {
            return name + " " + Arrays.stream(full).mapToObj(Recipe::plain).collect(Collectors.joining(", ", "{", "}"))
                    + " (quick " + Arrays.stream(quick).mapToObj(Recipe::plain)
                    .collect(Collectors.joining(", ", "{", "}")) + ")";
        }
    }

    /** System property that overrides {@code SEQCL_DATASETS} (tests set it; a JVM cannot change its environment). */
    public static final String DATASETS_PROPERTY = "seqcl.datasets";

    /**
     * Checks the recipe.
     *
     * @throws IllegalArgumentException if a required text is blank, no dataset is given or there are not 2-3
     *     exercises
     */
    public Recipe {
        for (String[] f : new String[][] {{"notebook", notebook}, {"paper", paper}, {"item", item},
                {"claim", claim}, {"quickDataset", quickDataset}, {"supports", supports},
                {"contradicts", contradicts}}) {
            if (f[1] == null || f[1].isBlank()) {
                throw new IllegalArgumentException("recipe " + notebook + ": " + f[0] + " is empty");
            }
        }
        if (datasets == null || datasets.isEmpty()) {
            throw new IllegalArgumentException("recipe " + notebook + ": no dataset");
        }
        if (exercises == null || exercises.size() < 2 || exercises.size() > 3) {
            throw new IllegalArgumentException("recipe " + notebook + ": 2 or 3 exercises, got "
                    + (exercises == null ? 0 : exercises.size()));
        }
        datasets = List.copyOf(datasets);
        exercises = List.copyOf(exercises);
    }

    /**
     * A recipe with no recorded full-budget run.
     *
     * @param notebook the notebook
     * @param paper the paper
     * @param item the paper's figure or table
     * @param claim the claim
     * @param datasets every dataset the paper shows in this item
     * @param quickDataset the dataset of the quick budget
     * @param sweep whether the notebook trains many models
     * @param grid the values the item varies, or null
     * @param supports what would support the claim
     * @param contradicts what would contradict it
     * @param exercises two or three exercises
     */
    public Recipe(String notebook, String paper, String item, String claim, List<String> datasets,
                  String quickDataset, boolean sweep, Grid grid, String supports, String contradicts,
                  List<String> exercises) {
        this(notebook, paper, item, claim, datasets, quickDataset, sweep, grid, supports, contradicts, exercises,
                null);
    }

    /**
     * This recipe with its recorded full-budget runs named.
     *
     * @param source where they are recorded and how they meet the paper
     * @return a copy
     */
    public Recipe withRecorded(RecordedResults.Source source) {
        return new Recipe(notebook, paper, item, claim, datasets, quickDataset, sweep, grid, supports, contradicts,
                exercises, source);
    }

    /**
     * The full-budget runs of this item recorded in the repository, read back with the paper's numbers beside
     * them; says plainly when none is recorded.
     *
     * @return the recorded results
     */
    public RecordedResults recordedResults() {
        if (recorded == null) {
            String shortPaper = paper.replaceFirst(" \\(.*\\)$", "");
            return RecordedResults.none(item.startsWith(shortPaper) ? item : shortPaper + " " + item);
        }
        return RecordedResults.of(recorded);
    }

    /**
     * The datasets a run uses: the comma-separated keys in the system property {@value #DATASETS_PROPERTY} or
     * else the environment variable {@code SEQCL_DATASETS} (as {@link Budget#fromEnv()} reads {@code seqcl.budget}
     * before {@code SEQCL_BUDGET}) if set; otherwise every dataset
     * the paper shows in this item at the full budget, and {@link #quickDataset()} at the quick budget.
     *
     * @param budget the budget
     * @return registry keys
     */
    public List<String> datasets(Budget budget) {
        String v = System.getProperty(DATASETS_PROPERTY, Settings.get(Settings.Variable.SEQCL_DATASETS).orElse(null));
        return datasets(budget, v);
    }

    /**
     * Like {@link #datasets(Budget)} with the value of {@code SEQCL_DATASETS} given (for tests).
     *
     * @param budget the budget
     * @param override the comma-separated list, or null / blank for none
     * @return registry keys
     * @throws IllegalArgumentException if the override names no dataset
     */
    public List<String> datasets(Budget budget, String override) {
        if (override != null && !override.isBlank()) {
            List<String> l = Arrays.stream(override.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
            if (l.isEmpty()) {
                throw new IllegalArgumentException("SEQCL_DATASETS names no dataset: '" + override + "'");
            }
            return l;
        }
        return budget == Budget.FULL ? datasets
                : Arrays.stream(quickDataset.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /**
     * Loads one of the datasets for a budget ({@link PaperSettings#load}; the synthetic dataset with a message
     * when the files are missing), with the sweep sample when the notebook trains many models.
     *
     * @param name registry key
     * @param budget the budget
     * @param seed the sampling seed
     * @return the dataset
     */
    public SequenceDataset load(String name, Budget budget, long seed) {
        return PaperSettings.load(name, budget, seed, sweep);
    }

    /**
     * The grid's values at a budget.
     *
     * @param budget the budget
     * @return the values
     * @throws IllegalStateException if this recipe varies nothing numeric
     */
    public double[] values(Budget budget) {
        if (grid == null) {
            throw new IllegalStateException("recipe " + notebook + " has no grid");
        }
        return grid.values(budget);
    }

    /**
     * The grid's values at a budget as integers.
     *
     * @param budget the budget
     * @return the values
     * @throws IllegalStateException if this recipe varies nothing numeric
     */
    public int[] ints(Budget budget) {
        if (grid == null) {
            throw new IllegalStateException("recipe " + notebook + " has no grid");
        }
        return grid.ints(budget);
    }

    /**
     * The recipe as a two-column table for the top of a notebook: the paper's item, the claim, the datasets and
     * grid of this budget, and what would support or contradict the claim.
     *
     * @param budget the budget
     * @return columns field, value
     */
    public Table card(Budget budget) {
        StringColumn field = StringColumn.create("field");
        StringColumn value = StringColumn.create("value");
        String[][] rows = {
            {"reproduces", paper + ", " + item},
            {"claim", claim},
            {"budget", io.seqcl.experiment.PaperSettings.describe(budget, sweep)},
            {"datasets (this run)", String.join(", ", datasets(budget))},
            {"datasets (paper)", String.join(", ", datasets)},
            {"varies", grid == null ? "the model" : grid.toString()},
            {"supports the claim", supports},
            {"contradicts the claim", contradicts},
        };
        for (String[] r : rows) {
            field.append(r[0]);
            value.append(r[1]);
        }
        return Table.create(item + ": recipe", field, value);
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
