package io.seqcl.experiment;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The numbers the papers report, as printed (typos kept, with a note), so that notebooks can show them beside
 * ours.
 *
 * <p>Source: ../shared/specs/experiments.md (Meta-SGCL Tables II-VII, MCLRec Tables 3-4, AdvInfoNCE's headline
 * gains over InfoNCE as paper "advinfonce", table "headline", setting "up to"), copied into the
 * resource {@code io/seqcl/paper/numbers.csv} with columns paper, table, dataset, setting, model, metric, value,
 * note. Nothing here is computed; these values are never used as results of ours.
 */
public final class PaperNumbers {

    private static final String RESOURCE = "/io/seqcl/paper/numbers.csv";
    private static Table all;

    private PaperNumbers() {
    }

    /** @return every number, one row each */
    public static synchronized Table all() {
        if (all == null) {
            all = read();
        }
        return all.copy();
    }

    /**
     * The numbers of one table of a paper.
     *
     * @param paper "metasgcl", "mclrec" or "advinfonce"
     * @param table e.g. "II" (Meta-SGCL) or "3" (MCLRec)
     * @return the rows (dataset, setting, model, metric, value, note)
     * @throws IllegalArgumentException if there is no such table
     */
    public static Table table(String paper, String table) {
        Table a = all();
        Table t = a.where(a.stringColumn("paper").isEqualTo(paper.toLowerCase(Locale.ROOT))
                .and(a.stringColumn("table").isEqualTo(table)));
        if (t.rowCount() == 0) {
            throw new IllegalArgumentException("no numbers for " + paper + " table " + table + "; known: "
                    + a.stringColumn("paper").asSet() + " tables " + a.stringColumn("table").asSet());
        }
        return t.setName(paper + " table " + table);
    }

    /**
     * One number.
     *
     * @param paper the paper
     * @param table the table
     * @param dataset dataset name as the paper writes it, matched ignoring case (e.g. "toys", "ML-1M")
     * @param setting e.g. "heads=2", or "" for none
     * @param model the paper's model name
     * @param metric e.g. "HR@10"
     * @return the value, or empty
     */
    public static OptionalDouble value(String paper, String table, String dataset, String setting, String model,
                                       String metric) {
        return lookup(table(paper, table), dataset, setting, model, metric);
    }

    /**
     * One number from a table returned by {@link #table} (so that callers looking up many values read it once).
     *
     * @param t the paper's table
     * @param dataset dataset name, matched ignoring case
     * @param setting e.g. "heads=2", or ""
     * @param model the paper's model name
     * @param metric e.g. "HR@10"
     * @return the value, or empty
     */
    static OptionalDouble lookup(Table t, String dataset, String setting, String model, String metric) {
        for (int i = 0; i < t.rowCount(); i++) {
            if (t.stringColumn("dataset").get(i).equalsIgnoreCase(dataset)
                    && t.stringColumn("setting").get(i).equals(setting)
                    && t.stringColumn("model").get(i).equals(model)
                    && t.stringColumn("metric").get(i).equals(metric)) {
                return OptionalDouble.of(t.doubleColumn("value").get(i));
            }
        }
        return OptionalDouble.empty();
    }

    private static Table read() {
        StringColumn paper = StringColumn.create("paper");
        StringColumn table = StringColumn.create("table");
        StringColumn dataset = StringColumn.create("dataset");
        StringColumn setting = StringColumn.create("setting");
        StringColumn model = StringColumn.create("model");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        StringColumn note = StringColumn.create("note");
        try (InputStream in = PaperNumbers.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            if (header == null || !header.startsWith("paper,table,dataset,setting,model,metric,value")) {
                throw new IllegalStateException(RESOURCE + ": unexpected header " + header);
            }
            String line;
            int no = 1;
            while ((line = r.readLine()) != null) {
                no++;
                String[] f = line.split(",", -1);
                if (f.length != 8) {
                    throw new IllegalStateException(RESOURCE + ":" + no + ": expected 8 fields, got " + f.length);
                }
                paper.append(f[0]);
                table.append(f[1]);
                dataset.append(f[2]);
                setting.append(f[3]);
                model.append(f[4]);
                metric.append(f[5]);
                value.append(Double.parseDouble(f[6]));
                note.append(f[7]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Table.create("paper numbers", paper, table, dataset, setting, model, metric, value, note);
    }
}
