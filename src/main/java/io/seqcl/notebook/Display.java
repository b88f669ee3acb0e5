package io.seqcl.notebook;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import io.seqcl.train.ProgressListener;
import tech.tablesaw.api.Table;

/**
 * Shows results in a Jupyter notebook, or as plain text anywhere else.
 *
 * <p>Inside the "seqcl (Java)" kernel (rapaio-jupyter-kernel) {@link #show(Object)} sends a MIME bundle:
 * a Tablesaw {@link Table} becomes an HTML table, an XChart chart a PNG image (rendered off-screen; no Swing
 * window is ever opened), anything else plain text. Outside a notebook the same call prints to
 * {@code System.out}: the table as aligned text, and for a chart the path of a PNG file written under
 * {@code $SEQCL_OUT/charts} (default {@code out/charts} in the working directory; the system property
 * {@code seqcl.out} overrides both).
 *
 * <p>{@link #progress()} returns the training progress listener: one line per run updated in place.
 */
public final class Display {

    private static volatile Display defaultInstance;

    private final DisplaySink sink;
    private final PrintStream out;
    private final Path chartDir;
    private final AtomicInteger chartCount = new AtomicInteger();

    Display(DisplaySink sink, PrintStream out, Path chartDir) {
        this.sink = sink;
        this.out = out;
        this.chartDir = chartDir;
    }

    static Display get() {
        Display d = defaultInstance;
        if (d == null) {
            synchronized (Display.class) {
                d = defaultInstance;
                if (d == null) {
                    d = new Display(KernelBridge.find().orElse(null), null, defaultChartDir());
                    defaultInstance = d;
                }
            }
        }
        return d;
    }

    private static Path defaultChartDir() {
        String base = System.getProperty("seqcl.out");
        if (base == null || base.isBlank()) {
            base = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_OUT).orElse(null);
        }
        if (base == null || base.isBlank()) {
            base = "out";
        }
        return Path.of(base, "charts");
    }

    /**
     * Tells whether output goes to a Jupyter notebook.
     *
     * @return true inside the rapaio Jupyter kernel
     */
    public static boolean inNotebook() {
        return get().sink != null;
    }

    /**
     * Shows a table (HTML), a chart (PNG) or any other object (its {@code toString()}).
     *
     * @param value the thing to show
     */
    public static void show(Object value) {
        get().render(value);
    }

    /**
     * Shows several things, one after another.
     *
     * @param values the things to show
     */
    public static void show(Object... values) {
        for (Object v : values) {
            get().render(v);
        }
    }

    /**
     * Shows an HTML fragment in a notebook; outside one, prints {@code plainText}.
     *
     * @param html the HTML fragment
     * @param plainText what to print where HTML cannot be shown
     */
    public static void html(String html, String plainText) {
        get().bundle(bundleOf(Mime.TEXT, plainText, Mime.HTML, html), plainText);
    }

    /**
     * Renders a chart to PNG bytes (off-screen).
     *
     * @param chart an XChart chart
     * @return the PNG file content
     */
    public static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render chart '" + chart.getTitle() + "' as PNG", e);
        }
    }

    /**
     * Writes a chart as a PNG file (off-screen), creating parent directories.
     *
     * @param chart an XChart chart
     * @param file the target file
     * @return {@code file}
     */
    public static Path save(Chart<?, ?> chart, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, png(chart));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The training progress listener for where this code runs: in a notebook one line per run updated in place;
     * on a terminal one line rewritten with '\r'; otherwise (logs, CI) one line per epoch. Never a line per batch.
     *
     * @return a new listener
     */
    public static ProgressListener progress() {
        return get().progressListener();
    }

    // ---- instance side (tests build instances with a recording sink and their own stream)

    ProgressListener progressListener() {
        if (sink != null) {
            return new ProgressLine(ProgressLine.Mode.NOTEBOOK, sink, out(), System::nanoTime,
                    ProgressLine.DEFAULT_MIN_INTERVAL_NANOS);
        }
        return new ProgressLine(consoleMode(), null, out(), System::nanoTime, ProgressLine.DEFAULT_MIN_INTERVAL_NANOS);
    }

    static ProgressLine.Mode consoleMode() {
        String forced = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_PROGRESS).orElse(null);
        if (forced != null) {
            switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "tty":
                    return ProgressLine.Mode.TTY;
                case "lines":
                    return ProgressLine.Mode.LINES;
                default:
                    break;
            }
        }
        return System.console() != null ? ProgressLine.Mode.TTY : ProgressLine.Mode.LINES;
    }

    void render(Object value) {
        if (value instanceof Table table) {
            String text = Tables.text(table, Tables.DEFAULT_MAX_ROWS);
            bundle(bundleOf(Mime.TEXT, text, Mime.HTML, Tables.html(table, Tables.DEFAULT_MAX_ROWS)), text);
        } else if (value instanceof Chart<?, ?> chart) {
            String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "chart" : chart.getTitle();
            if (sink != null) {
                bundle(bundleOf(Mime.TEXT, "<chart: " + title + ">",
                        Mime.PNG, Base64.getEncoder().encodeToString(png(chart))), null);
            } else {
                Path file = chartDir.resolve(String.format(Locale.ROOT, "%03d-%s.png",
                        chartCount.incrementAndGet(), slug(title)));
                save(chart, file);
                out().println("chart saved to " + file.toAbsolutePath());
            }
        } else {
            String text = String.valueOf(value);
            bundle(bundleOf(Mime.TEXT, text), text);
        }
    }

    private void bundle(Map<String, String> bundle, String plainText) {
        if (sink != null) {
            try {
                sink.display(bundle);
                return;
            } catch (RuntimeException e) {
                // the front end refused: fall back to text rather than losing the output
                if (plainText == null) {
                    plainText = bundle.getOrDefault(Mime.TEXT, "");
                }
            }
        }
        PrintStream o = out();
        o.print(plainText.endsWith("\n") ? plainText : plainText + "\n");
        o.flush();
    }

    private PrintStream out() {
        return out != null ? out : System.out;
    }

    static Map<String, String> bundleOf(String... mimeAndContent) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < mimeAndContent.length; i += 2) {
            m.put(mimeAndContent[i], mimeAndContent[i + 1]);
        }
        return m;
    }

    static String slug(String s) {
        String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40);
        }
        return slug.isEmpty() ? "chart" : slug;
    }
}
