package io.ipdm.dataflow.validate;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in pipeline files: {@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 2h},
 * {@code 1d}.
 */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("([0-9]+(ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

    private Durations() {}

    /** Returns null if {@code text} is not a duration. */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (!WHOLE.matcher(s).matches()) {
            return null;
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(s);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d =
                        d.plus(
                                switch (m.group(2)) {
                                    case "ms" -> Duration.ofMillis(n);
                                    case "s" -> Duration.ofSeconds(n);
                                    case "m" -> Duration.ofMinutes(n);
                                    case "h" -> Duration.ofHours(n);
                                    default -> Duration.ofDays(n);
                                });
            }
        } catch (ArithmeticException | NumberFormatException overflow) {
            return null;
        }
        return d;
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
}
