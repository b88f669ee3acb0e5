package io.seqcl.notebook;

import java.util.Locale;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Renders Tablesaw tables as HTML and as plain text, with numbers formatted for reading. */
public final class Tables {

    /** Rows shown before a table is cut (the rest is summarised in one line). */
    public static final int DEFAULT_MAX_ROWS = 60;

    private Tables() { }

    /**
     * Renders a table as an HTML {@code <table>} (header row, one row per table row, numbers right-aligned).
     *
     * @param table the table
     * @param maxRows rows to show; the rest is summarised as "... N more rows"
     * @return HTML text
     */
    public static String html(Table table, int maxRows) {
        StringBuilder sb = new StringBuilder(256 + table.rowCount() * table.columnCount() * 24);
        sb.append("<table class=\"seqcl-table\">\n");
        if (table.name() != null && !table.name().isBlank()) {
            sb.append("<caption>").append(escape(table.name())).append("</caption>\n");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            sb.append("<th>").append(escape(c.name())).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        int shown = Math.min(table.rowCount(), Math.max(0, maxRows));
        for (int r = 0; r < shown; r++) {
            sb.append("<tr>");
            for (Column<?> c : table.columns()) {
                sb.append(isNumeric(c) ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">")
                        .append(escape(cell(c, r))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>");
        if (shown < table.rowCount()) {
            sb.append("\n<p>... ").append(table.rowCount() - shown).append(" more rows (")
                    .append(table.rowCount()).append(" in all)</p>");
        }
        return sb.toString();
    }

    /**
     * Renders a table as aligned plain text, formatted like {@link #html(Table, int)}.
     *
     * @param table the table
     * @param maxRows rows to show
     * @return text lines separated by '\n'
     */
    public static String text(Table table, int maxRows) {
        int shown = Math.min(table.rowCount(), Math.max(0, maxRows));
        int cols = table.columnCount();
        String[][] cells = new String[shown + 1][cols];
        int[] width = new int[cols];
        for (int c = 0; c < cols; c++) {
            Column<?> col = table.column(c);
            cells[0][c] = col.name();
            for (int r = 0; r < shown; r++) {
                cells[r + 1][c] = cell(col, r);
            }
            for (int r = 0; r <= shown; r++) {
                width[c] = Math.max(width[c], cells[r][c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        if (table.name() != null && !table.name().isBlank()) {
            sb.append(table.name()).append('\n');
        }
        for (int r = 0; r <= shown; r++) {
            for (int c = 0; c < cols; c++) {
                boolean right = r > 0 && isNumeric(table.column(c));
                String v = cells[r][c];
                String pad = " ".repeat(width[c] - v.length());
                sb.append(c == 0 ? "" : "  ").append(right ? pad + v : v + pad);
            }
            sb.append('\n');
            if (r == 0) {
                for (int c = 0; c < cols; c++) {
                    sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
                }
                sb.append('\n');
            }
        }
        if (shown < table.rowCount()) {
            sb.append("... ").append(table.rowCount() - shown).append(" more rows (")
                    .append(table.rowCount()).append(" in all)\n");
        }
        return sb.toString();
    }

    /**
     * Formats one cell: doubles and floats with 4 decimals (whole numbers without decimals, 100 and more with one,
     * very small
     * values in scientific notation), missing values as an empty string, everything else as Tablesaw prints it.
     *
     * @param column a column
     * @param row a row index
     * @return the cell text
     */
    static String cell(Column<?> column, int row) {
        if (column.isMissing(row)) {
            return "";
        }
        ColumnType t = column.type();
        if (t == ColumnType.DOUBLE || t == ColumnType.FLOAT) {
            Object v = column.get(row);
            return number(((Number) v).doubleValue());
        }
        return column.getString(row);
    }

    /**
     * Formats a number for a table cell.
     *
     * @param v a value
     * @return e.g. "12101", "813.7", "0.0312", "8.1234", "1.2e-6", "NaN"
     */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e15) {
            return Long.toString((long) v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1e-4) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.2g", v).replace("e-0", "e-");
    }

    private static boolean isNumeric(Column<?> c) {
        ColumnType t = c.type();
        return t == ColumnType.DOUBLE || t == ColumnType.FLOAT || t == ColumnType.INTEGER || t == ColumnType.LONG
                || t == ColumnType.SHORT;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
