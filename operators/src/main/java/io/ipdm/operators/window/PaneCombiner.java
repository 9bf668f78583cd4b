package io.ipdm.operators.window;

import io.ipdm.operators.aggregate.RowAggregateFunction;
import java.io.Serial;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.types.Row;

/**
 * Local pre-aggregation in front of a window's shuffle (what Flink SQL calls local-global
 * aggregation): chained to the operator before the keyBy, it folds rows into one partial
 * accumulator per key and pane and sends partials instead of rows; the window after the shuffle
 * merges them ({@link PartialMergeFunction}). Only for aggregates that {@linkplain
 * RowAggregateFunction#mergesExactly() merge exactly} and windows with panes ({@link
 * WindowSpec#paneMillis()}), so the windows' results are those of the rows themselves.
 *
 * <p>Output rows ("partials"): the key fields at positions 0..k-1, then the accumulator array (or
 * null), then the input row (or null). A partial carries accumulators and is stamped with its
 * pane's start, which every window holding the pane contains. A row is passed on alone (key fields,
 * null, the row, with its own timestamp) when it has no timestamp or when the first window of its
 * pane may already have fired: such a row reaches the window exactly as without this operator, so
 * lateness (updates within allowed lateness, the late side output, the late-drop count) is decided
 * there per row, as before.
 *
 * <p>Why combined rows are never late downstream: a pane's partial is sent before this operator
 * forwards the watermark that reaches the end of the pane's first window, and the window's
 * watermark (the minimum over its input channels) is never ahead of what this operator forwarded.
 * Partials are also sent when more than {@code maxEntries} (key, pane) accumulators are held, and
 * all before a checkpoint barrier ({@link #prepareSnapshotPreBarrier}), so this operator has no
 * state: a checkpoint or savepoint holds every row in the window's state, as without it.
 *
 * <p>An input that goes idle breaks that bound: the window's watermark then moves on without this
 * channel, and may stay ahead of it when it resumes. So on an idle status everything held is sent
 * (before the status is forwarded), and from then on this subtask passes every row on alone, as
 * without pre-aggregation, until the job restarts.
 *
 * <p>Runs on its task's thread only; nothing is shared.
 */
final class PaneCombiner extends AbstractStreamOperator<Row>
        implements OneInputStreamOperator<Row, Row> {
    @Serial private static final long serialVersionUID = 1L;

    private static final Object ALL = new Object() {}; // the one key of a window without keys

    private final int[] keyPositions;
    private final RowAggregateFunction function;
    private final long pane;
    private final WindowAssigner<Object, TimeWindow> assigner;
    private final int maxEntries;

    /** Open panes by start; few at a time (those the watermark has not passed). */
    private transient Map<Long, Pane> panes;

    private transient Pane lastPane;
    private transient long watermark;
    private transient int entries;
    private transient StreamRecord<Row> out;
    private transient WindowAssigner.WindowAssignerContext assignerContext;
    private transient boolean wentIdle;

    /** One pane's accumulators by key, and the watermark at which they must be sent. */
    private static final class Pane {
        final long start;
        final long sendAt; // max timestamp of the earliest window holding the pane
        final HashMap<Object, Object[]> accs = new HashMap<>();

        Pane(long start, long sendAt) {
            this.start = start;
            this.sendAt = sendAt;
        }
    }

    /**
     * @param keyPositions the key fields in the input rows
     * @param pane the pane width in ms (see {@link WindowSpec#paneMillis()})
     * @param assigner the window's assigner (finds the first window of a pane)
     * @param maxEntries (key, pane) accumulators held before all are sent
     */
    PaneCombiner(
            int[] keyPositions,
            RowAggregateFunction function,
            long pane,
            WindowAssigner<Object, TimeWindow> assigner,
            int maxEntries) {
        if (pane <= 0 || maxEntries < 1) {
            throw new IllegalArgumentException(
                    "pre-aggregation needs a pane of at least 1 ms and room for one entry");
        }
        this.keyPositions = keyPositions.clone();
        this.function = function;
        this.pane = pane;
        this.assigner = assigner;
        this.maxEntries = maxEntries;
    }

    @Override
    public void open() throws Exception {
        super.open();
        panes = new HashMap<>();
        watermark = Long.MIN_VALUE;
        out = new StreamRecord<>(null);
        assignerContext =
                new WindowAssigner.WindowAssignerContext() {
                    @Override
                    public long getCurrentProcessingTime() {
                        return getProcessingTimeService().getCurrentProcessingTime();
                    }
                };
    }

    @Override
    public void processElement(StreamRecord<Row> element) throws Exception {
        Row row = element.getValue();
        if (!element.hasTimestamp() || wentIdle) {
            passOn(row, element); // the window reports the missing timestamp
            return;
        }
        long t = element.getTimestamp();
        long start = TimeWindow.getWindowStartWithOffset(t, 0, pane);
        Pane p = lastPane;
        if (p == null || p.start != start) {
            p = panes.get(start);
            if (p == null) {
                long sendAt = firstWindowEnd(start);
                if (sendAt <= watermark) {
                    passOn(row, element); // its window may have fired: lateness is the window's
                    return;
                }
                p = new Pane(start, sendAt);
                panes.put(start, p);
            }
            lastPane = p;
        }
        Object key = key(row);
        Object[] acc = p.accs.get(key);
        if (acc == null) {
            acc = function.createAccumulator();
            p.accs.put(key, acc);
            entries++;
        }
        function.add(row, acc);
        if (entries >= maxEntries) {
            sendAll();
        }
    }

    /** The max timestamp of the earliest-ending window that holds the pane starting at start. */
    private long firstWindowEnd(long start) {
        long min = Long.MAX_VALUE;
        for (TimeWindow w : assigner.assignWindows(null, start, assignerContext)) {
            min = Math.min(min, w.maxTimestamp());
        }
        return min;
    }

    private Object key(Row row) {
        return switch (keyPositions.length) {
            case 0 -> ALL;
            case 1 -> row.getField(keyPositions[0]);
            default -> {
                Object[] k = new Object[keyPositions.length];
                for (int i = 0; i < k.length; i++) {
                    k[i] = row.getField(keyPositions[i]);
                }
                yield Arrays.asList(k);
            }
        };
    }

    private void passOn(Row row, StreamRecord<Row> element) {
        Row partial = new Row(keyPositions.length + 2);
        for (int i = 0; i < keyPositions.length; i++) {
            partial.setField(i, row.getField(keyPositions[i]));
        }
        partial.setField(keyPositions.length + 1, row);
        output.collect(element.replace(partial));
    }

    /** Sends the panes whose first window ends at or before the watermark, then forwards it. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long w = mark.getTimestamp();
        if (!panes.isEmpty()) {
            Iterator<Pane> it = panes.values().iterator();
            while (it.hasNext()) {
                Pane p = it.next();
                if (p.sendAt <= w) {
                    send(p);
                    it.remove();
                }
            }
            lastPane = null;
        }
        watermark = Math.max(watermark, w);
        super.processWatermark(mark);
    }

    /** Idle: the window's watermark may pass this channel's, so nothing is combined any more. */
    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            sendAll();
            wentIdle = true;
        }
        super.processWatermarkStatus(status);
    }

    /** Nothing stays here across a checkpoint: the window's state holds every row. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        sendAll();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        sendAll();
        super.finish();
    }

    private void sendAll() {
        for (Pane p : panes.values()) {
            send(p);
        }
        panes.clear();
        lastPane = null;
        entries = 0;
    }

    private void send(Pane p) {
        int k = keyPositions.length;
        for (Map.Entry<Object, Object[]> e : p.accs.entrySet()) {
            Row partial = new Row(k + 2);
            Object key = e.getKey();
            if (k == 1) {
                partial.setField(0, key);
            } else if (k > 1) {
                List<?> fields = (List<?>) key;
                for (int i = 0; i < k; i++) {
                    partial.setField(i, fields.get(i));
                }
            }
            partial.setField(k, e.getValue());
            output.collect(out.replace(partial, p.start));
        }
        entries -= p.accs.size();
    }
}
