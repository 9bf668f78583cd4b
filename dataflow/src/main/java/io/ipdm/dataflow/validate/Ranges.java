package io.ipdm.dataflow.validate;

import io.ipdm.dataflow.yaml.Quote;

/**
 * The one message for a whole number outside its range, so {@code k: 99999999999} is refused as it
 * was written instead of wrapping to an int ({@code 1215752191}) that some later check reports.
 */
public final class Ranges {
    private Ranges() {}

    /** Null when {@code min <= value <= max}, else the message naming {@code key}'s range. */
    public static String check(String key, long value, long min, long max) {
        return value >= min && value <= max ? null : message(key, String.valueOf(value), min, max);
    }

    /**
     * The message for {@code written} (a number as the user wrote it, perhaps beyond 64 bits)
     * outside {@code [min, max]}.
     */
    public static String message(String key, String written, long min, long max) {
        String range;
        if (max == Long.MAX_VALUE && min != Long.MIN_VALUE) {
            range = "at least " + min;
        } else if (min == Long.MIN_VALUE && max != Long.MAX_VALUE) {
            range = "at most " + max;
        } else {
            range = "between " + min + " and " + max;
        }
        return key + " must be " + range + ", got " + Quote.cut(written.strip());
    }

    /** The last segment of a key path: {@code runtime.parallelism} -> {@code parallelism}. */
    public static String key(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf(']'));
        return cut < 0 ? path : path.substring(cut + 1);
    }
}
