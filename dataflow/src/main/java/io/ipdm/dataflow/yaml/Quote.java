package io.ipdm.dataflow.yaml;

/**
 * A user's value as error messages echo it: in single quotes, cut to {@link #MAX} characters with
 * an ellipsis, and control characters shown as escapes, so a megabyte-long or binary value still
 * gives a one-line message.
 */
public final class Quote {
    /** Characters of a value an error message shows. */
    public static final int MAX = 80;

    private Quote() {}

    /** {@code 'value'}, cut and escaped. */
    public static String of(String value) {
        return "'" + cut(value) + "'";
    }

    /** The value cut to {@link #MAX} characters ("..." marks the cut), control chars escaped. */
    public static String cut(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (int i = 0; i < value.length(); i = value.offsetByCodePoints(i, 1)) {
            if (n == MAX) {
                return b.append("... (").append(value.length()).append(" chars)").toString();
            }
            int c = value.codePointAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == 0xFFFD) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
            n++;
        }
        return b.toString();
    }
}
