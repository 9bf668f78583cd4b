package io.ipdm.operators.window;

import io.ipdm.operators.aggregate.AggregateKind;
import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Aggregator;
import io.ipdm.operators.aggregate.Aggregators;
import io.ipdm.operators.aggregate.MultiColumnAggregator;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.aggregate.RowAggregateFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;

/**
 * A keyed event-time window with incremental aggregates: the window state per key is one
 * accumulator array, never the rows. Output rows are the key fields, {@code window_start} and
 * {@code window_end} (epoch milliseconds, end exclusive), then one field per aggregate, named by
 * the aggregate. The input must carry event-time timestamps and watermarks (see {@code
 * io.ipdm.operators.time.EventTimeWatermarks}).
 *
 * <p>Events that arrive after a window's end plus its allowed lateness are not counted: they go to
 * {@link Result#late()} unchanged when late rows are kept, else Flink's window operator drops them
 * and counts them in its {@code numLateRecordsDropped} metric. Within the allowed lateness a late
 * event updates its window, which fires again with the new totals: that row has {@link
 * org.apache.flink.types.RowKind} {@code UPDATE_AFTER} and supersedes the earlier one for the same
 * key and window; first results are {@code INSERT}.
 */
public final class WindowedAggregation {
    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";

    private WindowedAggregation() {}

    /**
     * The windowed rows, their schema, and the late events (with the input schema).
     *
     * @param out one row per key and window firing
     * @param outType key fields, window_start, window_end, aggregates
     * @param late events that came after their window's end plus the allowed lateness; null when
     *     they are not kept (dropped and counted)
     */
    public record Result(DataStream<Row> out, RowTypeInfo outType, DataStream<Row> late) {}

    /**
     * Validates a windowed aggregation without building it: the schema of its output rows.
     *
     * @throws IllegalArgumentException for unknown or repeated key fields, no aggregates, a bad
     *     aggregate, or an output name used twice
     */
    public static RowTypeInfo outputType(
            RowTypeInfo inType, List<String> keyFields, List<AggregateSpec> aggs) {
        return plan(inType, keyFields, aggs).outType;
    }

    /**
     * Adds a keyed window with its aggregates to {@code in}.
     *
     * @param keyFields the fields to group by; empty for one group of all rows
     * @param uidPrefix stable prefix of the operator uids (from the stage id), so that savepoints
     *     survive edits elsewhere in the job
     */
    public static Result apply(
            DataStream<Row> in,
            RowTypeInfo inType,
            List<String> keyFields,
            WindowSpec window,
            List<AggregateSpec> aggs,
            String uidPrefix) {
        return apply(in, inType, keyFields, window, aggs, uidPrefix, true);
    }

    /**
     * Adds a keyed window with its aggregates to {@code in}.
     *
     * @param keepLate route late events to {@link Result#late()}; if false they are dropped and
     *     counted in the window operator's {@code numLateRecordsDropped} metric
     */
    public static Result apply(
            DataStream<Row> in,
            RowTypeInfo inType,
            List<String> keyFields,
            WindowSpec window,
            List<AggregateSpec> aggs,
            String uidPrefix,
            boolean keepLate) {
        if (window == null) {
            throw new IllegalArgumentException("a windowed aggregation needs a window");
        }
        if (uidPrefix == null || uidPrefix.isBlank()) {
            throw new IllegalArgumentException(
                    "a windowed aggregation needs a uid prefix (the stage id)");
        }
        Plan plan = plan(inType, keyFields, aggs);
        OutputTag<Row> lateTag = new OutputTag<>(uidPrefix + "-late", inType);
        WindowedStream<Row, Row, TimeWindow> windowed =
                in.keyBy(new KeyFieldsSelector(plan.keyPositions), plan.keyType)
                        .window(window.assigner())
                        .allowedLateness(window.allowedLateness());
        if (keepLate) {
            windowed = windowed.sideOutputLateData(lateTag);
        }
        WindowRowEmitter emitter =
                new WindowRowEmitter(
                        plan.keyPositions.length,
                        !window.allowedLateness().isZero(),
                        window.kind() == WindowSpec.Kind.SESSION);
        // Exact holistic aggregates keep every value: buffering the rows in append-only list
        // state beats rewriting a growing accumulator per row on RocksDB (docs/BENCHMARKS.md).
        SingleOutputStreamOperator<Row> out =
                buffersRows(aggs)
                        ? windowed.process(
                                        new BufferedWindowFunction(plan.function, emitter),
                                        plan.outType)
                                .uid(uidPrefix + "-window-rows")
                        : windowed.aggregate(
                                        plan.function,
                                        emitter,
                                        plan.function.accumulatorType(),
                                        plan.aggType,
                                        plan.outType)
                                .uid(uidPrefix + "-window");
        out.name(window.kind().queryName() + " window " + uidPrefix);
        return new Result(out, plan.outType, keepLate ? out.getSideOutput(lateTag) : null);
    }

    /**
     * Whether the window keeps its rows rather than an accumulator: when an aggregate is exact
     * quantiles, count_distinct or top_k, whose state holds every value anyway.
     */
    static boolean buffersRows(List<AggregateSpec> aggs) {
        for (AggregateSpec a : aggs) {
            boolean holistic =
                    a.kind() == AggregateKind.QUANTILES
                            || a.kind() == AggregateKind.COUNT_DISTINCT
                            || a.kind() == AggregateKind.TOP_K;
            if (holistic && a.precision() == Precision.EXACT) {
                return true;
            }
        }
        return false;
    }

    private record Plan(
            int[] keyPositions,
            RowTypeInfo keyType,
            RowAggregateFunction function,
            RowTypeInfo aggType,
            RowTypeInfo outType) {}

    private static Plan plan(RowTypeInfo inType, List<String> keyFields, List<AggregateSpec> aggs) {
        if (inType == null) {
            throw new IllegalArgumentException("a windowed aggregation needs its input schema");
        }
        List<String> keys = keyFields == null ? List.of() : keyFields;
        if (aggs == null || aggs.isEmpty()) {
            throw new IllegalArgumentException(
                    "a windowed aggregation needs at least one aggregate");
        }
        int[] keyPositions = new int[keys.size()];
        List<String> outNames = new ArrayList<>();
        List<TypeInformation<?>> outTypes = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            int pos = inType.getFieldIndex(k);
            if (pos < 0) {
                throw new IllegalArgumentException(
                        "unknown key field '"
                                + k
                                + "'; known fields: "
                                + String.join(", ", inType.getFieldNames()));
            }
            if (!used.add(k)) {
                throw new IllegalArgumentException("key field '" + k + "' is given twice");
            }
            if (!inType.getTypeAt(pos).isKeyType()) {
                throw new IllegalArgumentException(
                        "key field '"
                                + k
                                + "' has type "
                                + inType.getTypeAt(pos)
                                + ", which cannot be a key; to group by the elements of an array,"
                                + " explode it first (RowExplode)");
            }
            keyPositions[i] = pos;
            outNames.add(k);
            outTypes.add(inType.getTypeAt(pos));
        }
        RowTypeInfo keyType =
                keys.isEmpty()
                        ? new RowTypeInfo(
                                new TypeInformation<?>[] {Types.STRING}, new String[] {"key"})
                        : new RowTypeInfo(
                                outTypes.toArray(new TypeInformation<?>[0]),
                                outNames.toArray(new String[0]));
        for (String w : List.of(WINDOW_START, WINDOW_END)) {
            if (!used.add(w)) {
                throw new IllegalArgumentException(
                        "key field '"
                                + w
                                + "' clashes with the window bound of the same name; rename it first");
            }
            outNames.add(w);
            outTypes.add(Types.LONG);
        }
        List<Aggregator<?>> aggregators = new ArrayList<>();
        List<String> aggNames = new ArrayList<>();
        for (AggregateSpec spec : aggs) {
            Aggregator<?> a = Aggregators.create(spec, inType);
            List<String> names =
                    a instanceof MultiColumnAggregator<?> m
                            ? List.of(m.resultType().getFieldNames())
                            : List.of(spec.name());
            for (String n : names) {
                if (!used.add(n)) {
                    throw new IllegalArgumentException(
                            "aggregate '"
                                    + spec.name()
                                    + "': the output name "
                                    + (names.size() > 1 ? "'" + n + "' " : "")
                                    + "is already used by a key, window bound or other aggregate");
                }
            }
            aggregators.add(a);
            aggNames.addAll(names);
            outNames.addAll(names);
            if (a instanceof MultiColumnAggregator<?> m) {
                outTypes.addAll(List.of(m.resultType().getFieldTypes()));
            } else {
                outTypes.add(a.resultType());
            }
        }
        RowAggregateFunction function = new RowAggregateFunction(aggregators);
        return new Plan(
                keyPositions,
                keyType,
                function,
                function.resultType(aggNames),
                new RowTypeInfo(
                        outTypes.toArray(new TypeInformation<?>[0]),
                        outNames.toArray(new String[0])));
    }
}
