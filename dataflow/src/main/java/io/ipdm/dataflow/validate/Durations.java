package io.ipdm.dataflow.validate;

import java.time.Duration;

/**
 * Durations as written in pipeline files: {@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 2h},
 * {@code 1d}; at most {@link #MAX}, so the millisecond arithmetic of windows, lateness and
 * watermarks on epoch timestamps cannot overflow. Parts are summed in checked arithmetic: a value
 * too large for any type is "longer than the maximum", never an exception.
 */
public final class Durations {
    /** The longest duration a pipeline may give: 36500 days (100 years). */
    public static final Duration MAX = Duration.ofDays(36_500);

    /** Hopping and cumulative windows a row may fall into (size / slide, size / step). */
    public static final long MAX_WINDOWS_PER_ROW = 10_000;

    /** What {@link #problem} says of a text that is not a duration at all. */
    public static final String EXPECTED = "expected a duration like 500ms, 10s, 1m, 2h or 1d";

    private static final long MAX_MILLIS = MAX.toMillis();

    private Durations() {}

    /** Returns null if {@code text} is not a duration or is longer than {@link #MAX}. */
    public static Duration parse(String text) {
        long ms = millis(text);
        return ms < 0 ? null : Duration.ofMillis(ms);
    }

    /**
     * Why {@code text} is not a duration ({@link #EXPECTED}, or longer than the maximum), or null
     * when it is one.
     */
    public static String problem(String text) {
        long ms = millis(text);
        if (ms == TOO_LONG) {
            return "longer than the maximum duration, " + format(MAX) + " (100 years)";
        }
        return ms < 0 ? EXPECTED : null;
    }

    private static final long NOT_A_DURATION = -1;
    private static final long TOO_LONG = -2;

    /** Milliseconds, or {@link #NOT_A_DURATION}, or {@link #TOO_LONG}. */
    private static long millis(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            return NOT_A_DURATION;
        }
        long total = 0;
        boolean tooLong = false;
        int i = 0;
        while (i < s.length()) {
            int digits = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == digits) {
                return NOT_A_DURATION;
            }
            long part = saturatedNumber(s, digits, i);
            long unit;
            if (s.startsWith("ms", i)) {
                unit = 1;
                i += 2;
            } else if (i < s.length()) {
                unit =
                        switch (s.charAt(i)) {
                            case 's' -> 1000L;
                            case 'm' -> 60_000L;
                            case 'h' -> 3_600_000L;
                            case 'd' -> 86_400_000L;
                            default -> 0;
                        };
                if (unit == 0) {
                    return NOT_A_DURATION;
                }
                i++;
            } else {
                return NOT_A_DURATION;
            }
            // Keep scanning after an overflow, so "1x" anywhere still reads as not a duration.
            if (!tooLong) {
                if (part > MAX_MILLIS / unit || (total += part * unit) > MAX_MILLIS) {
                    tooLong = true;
                }
            }
        }
        return tooLong ? TOO_LONG : total;
    }

    /** The decimal digits s[from, to) as a long, or Long.MAX_VALUE if larger. */
    private static long saturatedNumber(String s, int from, int to) {
        long n = 0;
        for (int k = from; k < to; k++) {
            int digit = s.charAt(k) - '0';
            if (n > (Long.MAX_VALUE - digit) / 10) {
                return Long.MAX_VALUE;
            }
            n = n * 10 + digit;
        }
        return n;
    }

    /** The shortest text that {@link #parse} reads back to {@code d}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                sb.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return sb.toString();
    }

    /**
     * Why a hopping (or cumulative) window of {@code size} moving by {@code slide} puts a row into
     * too many windows, naming the smallest {@code slideKey} allowed; null when it does not.
     */
    public static String tooManyWindows(Duration size, Duration slide, String slideKey) {
        long windows = size.toMillis() / Math.max(slide.toMillis(), 1);
        if (windows <= MAX_WINDOWS_PER_ROW) {
            return null;
        }
        long least = (size.toMillis() + MAX_WINDOWS_PER_ROW - 1) / MAX_WINDOWS_PER_ROW;
        return "each row would fall into "
                + windows
                + " windows (size "
                + format(size)
                + " / "
                + slideKey
                + " "
                + format(slide)
                + "); the limit is "
                + MAX_WINDOWS_PER_ROW
                + ", so make "
                + slideKey
                + " at least "
                + format(Duration.ofMillis(least));
    }
}
