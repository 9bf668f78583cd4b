package io.ipdm.operators.window;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Cumulative event-time windows: within each period of {@code maxSize} (aligned to the epoch), the
 * windows [start, start + k * step) for k = 1 .. maxSize / step. An event at time t belongs to
 * every such window that ends after t, so each window fires with the totals from the start of its
 * period up to its end (the shape of Flink SQL's CUMULATE).
 */
public final class CumulativeEventTimeWindows extends WindowAssigner<Object, TimeWindow> {
    @Serial private static final long serialVersionUID = 1L;

    private final long step;
    private final long maxSize;

    public CumulativeEventTimeWindows(long step, long maxSize) {
        if (step <= 0 || maxSize <= 0 || maxSize % step != 0) {
            throw new IllegalArgumentException(
                    "cumulative windows need 0 < step <= max size and max size a multiple of step; got step "
                            + step
                            + " ms, max size "
                            + maxSize
                            + " ms");
        }
        this.step = step;
        this.maxSize = maxSize;
    }

    @Override
    public Collection<TimeWindow> assignWindows(
            Object element, long timestamp, WindowAssignerContext context) {
        if (timestamp == Long.MIN_VALUE) {
            throw new IllegalStateException(
                    "record has no event-time timestamp: assign timestamps and watermarks before cumulative windows");
        }
        long start = TimeWindow.getWindowStartWithOffset(timestamp, 0, maxSize);
        long firstEnd = start + ((timestamp - start) / step + 1) * step;
        List<TimeWindow> windows = new ArrayList<>((int) ((start + maxSize - firstEnd) / step + 1));
        for (long end = firstEnd; end <= start + maxSize; end += step) {
            windows.add(new TimeWindow(start, end));
        }
        return windows;
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "CumulativeEventTimeWindows(step=" + step + " ms, maxSize=" + maxSize + " ms)";
    }
}
