package io.seqcl.data;

/**
 * Makes text from a data file safe to quote in an error message: characters a reader cannot see are shown as
 * <code>&#92;uXXXX</code> escapes, with a note for the two that most often explain a puzzling error (a UTF-8 byte-order
 * mark, U+FEFF, and a no-break space, U+00A0).
 */
final class Visible {

    private Visible() {
    }

    /**
     * Escapes the invisible characters of a token and shortens it to 40 characters.
     *
     * @param s the text
     * @return the text with control, format, separator (other than the ASCII space), private-use, unassigned
     *         and replacement characters written as <code>&#92;uXXXX</code>, followed by a hint naming U+FEFF or U+00A0
     *         if one of them occurs
     */
    static String escape(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) : s;
        StringBuilder sb = new StringBuilder(t.length() + 8);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (invisible(c)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (t.length() < s.length()) {
            sb.append("...");
        }
        return sb.toString();
    }

    /**
     * Names the invisible characters of a token that deserve an explanation.
     *
     * @param s the token
     * @return e.g. a note that U+FEFF is a byte-order mark, or "" if there is none
     */
    static String hint(String s) {
        StringBuilder sb = new StringBuilder();
        if (s.indexOf('\uFEFF') >= 0) {
            sb.append(" (\\uFEFF is a byte-order mark; save the file as UTF-8 without BOM)");
        }
        if (s.indexOf('\u00A0') >= 0) {
            sb.append(" (\\u00A0 is a no-break space, which does not separate fields)");
        }
        return sb.toString();
    }

    /**
     * Quotes a token for a message: escaped, in single quotes.
     *
     * @param s the token
     * @return {@code 'token'}; add {@link #hint(String)} at the end of the message
     */
    static String quote(String s) {
        return "'" + escape(s) + "'";
    }

    private static boolean invisible(char c) {
        if (c == ' ') {
            return false;
        }
        if (c == '\uFFFD' || Character.isSurrogate(c)) {
            return true; // undecodable bytes; surrogates never print alone
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }
}
