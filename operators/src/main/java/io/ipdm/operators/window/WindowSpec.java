package io.ipdm.operators.window;

import java.time.Duration;
import java.util.Locale;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * An event-time window: its kind, sizes and allowed lateness. Windows are aligned to the epoch (a
 * one-minute tumbling window covers [12:00, 12:01)), and bounds are epoch milliseconds.
 *
 * @param kind tumbling, hopping, session or cumulative
 * @param size tumbling and hopping: the window length; session: the gap; cumulative: the max size
 * @param slide hopping: how far apart windows start; cumulative: the step; else null
 * @param allowedLateness how long after a window closes late events still update it (and the window
 *     fires again); events later than that go to the late side output
 */
public record WindowSpec(Kind kind, Duration size, Duration slide, Duration allowedLateness) {

    /** The window kinds, by their name in queries. */
    public enum Kind {
        TUMBLING,
        HOPPING,
        SESSION,
        CUMULATIVE;

        public String queryName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @throws IllegalArgumentException naming the known kinds
         */
        public static Kind fromName(String name) {
            for (Kind k : values()) {
                if (k.queryName().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "unknown window kind '"
                            + name
                            + "'; known kinds: tumbling, hopping, session, cumulative");
        }
    }

    public WindowSpec {
        if (kind == null) {
            throw new IllegalArgumentException(
                    "a window needs a kind: tumbling, hopping, session or cumulative");
        }
        String what = kind == Kind.SESSION ? "gap" : kind == Kind.CUMULATIVE ? "max size" : "size";
        requirePositiveMillis(kind, what, size);
        allowedLateness = allowedLateness == null ? Duration.ZERO : allowedLateness;
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException(
                    kind.queryName()
                            + " window: allowed lateness must not be negative, got "
                            + allowedLateness);
        }
        switch (kind) {
            case HOPPING -> {
                requirePositiveMillis(kind, "slide", slide);
                if (slide.compareTo(size) > 0) {
                    throw new IllegalArgumentException(
                            "hopping window: slide "
                                    + slide
                                    + " is larger than size "
                                    + size
                                    + " (events would be skipped)");
                }
            }
            case CUMULATIVE -> {
                requirePositiveMillis(kind, "step", slide);
                if (size.toMillis() % slide.toMillis() != 0) {
                    throw new IllegalArgumentException(
                            "cumulative window: max size "
                                    + size
                                    + " must be a whole multiple of step "
                                    + slide);
                }
            }
            default -> {
                if (slide != null) {
                    throw new IllegalArgumentException(
                            kind.queryName() + " window: takes no slide");
                }
            }
        }
    }

    private static void requirePositiveMillis(Kind kind, String what, Duration d) {
        if (d == null || d.toMillis() <= 0) {
            throw new IllegalArgumentException(
                    kind.queryName() + " window: " + what + " must be at least 1 ms, got " + d);
        }
    }

    public static WindowSpec tumbling(Duration size) {
        return new WindowSpec(Kind.TUMBLING, size, null, Duration.ZERO);
    }

    public static WindowSpec hopping(Duration size, Duration slide) {
        return new WindowSpec(Kind.HOPPING, size, slide, Duration.ZERO);
    }

    public static WindowSpec session(Duration gap) {
        return new WindowSpec(Kind.SESSION, gap, null, Duration.ZERO);
    }

    /**
     * Windows that grow by {@code step} from the start of each {@code maxSize} period: [start,
     * start + step), [start, start + 2 step), ... up to [start, start + maxSize).
     */
    public static WindowSpec cumulative(Duration step, Duration maxSize) {
        return new WindowSpec(Kind.CUMULATIVE, maxSize, step, Duration.ZERO);
    }

    public WindowSpec withAllowedLateness(Duration lateness) {
        return new WindowSpec(kind, size, slide, lateness);
    }

    /**
     * The width of the panes whose boundaries are boundaries of every window (epoch-aligned): a
     * pane lies wholly inside each window that holds any instant of it, so rows can be
     * pre-aggregated per pane. Tumbling: the size; hopping: gcd(size, slide); cumulative: the step;
     * sessions have none (0): their bounds follow the data.
     */
    public long paneMillis() {
        return switch (kind) {
            case TUMBLING -> size.toMillis();
            case HOPPING -> gcd(size.toMillis(), slide.toMillis());
            case CUMULATIVE -> slide.toMillis();
            case SESSION -> 0;
        };
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The Flink assigner of this window. */
    public WindowAssigner<Object, TimeWindow> assigner() {
        return switch (kind) {
            case TUMBLING -> TumblingEventTimeWindows.of(size);
            case HOPPING -> SlidingEventTimeWindows.of(size, slide);
            case SESSION -> EventTimeSessionWindows.withGap(size);
            case CUMULATIVE -> new CumulativeEventTimeWindows(slide.toMillis(), size.toMillis());
        };
    }
}
