package io.ipdm.operators.window;

import io.ipdm.operators.aggregate.AggregateKind;
import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Aggregator;
import io.ipdm.operators.aggregate.Aggregators;
import io.ipdm.operators.aggregate.MultiColumnAggregator;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.aggregate.RowAggregateFunction;
import java.io.Serial;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.MapFunction;
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
     * Adds a keyed window with its aggregates to {@code in}, pre-aggregated before the shuffle when
     * it can be (see {@link #apply(DataStream, RowTypeInfo, List, WindowSpec, List, String,
     * boolean, boolean)}).
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
        return apply(in, inType, keyFields, window, aggs, uidPrefix, keepLate, true);
    }

    /**
     * Adds a keyed window with its aggregates to {@code in}.
     *
     * @param keepLate route late events to {@link Result#late()}; if false they are dropped and
     *     counted in the window operator's {@code numLateRecordsDropped} metric
     * @param preAggregate fold rows into partial accumulators per key and pane before the shuffle
     *     ({@link PaneCombiner}) when {@link #notPreAggregated} finds nothing against it; the
     *     windows' rows, late rows and checkpoints are the same either way
     */
    public static Result apply(
            DataStream<Row> in,
            RowTypeInfo inType,
            List<String> keyFields,
            WindowSpec window,
            List<AggregateSpec> aggs,
            String uidPrefix,
            boolean keepLate,
            boolean preAggregate) {
        if (window == null) {
            throw new IllegalArgumentException("a windowed aggregation needs a window");
        }
        if (uidPrefix == null || uidPrefix.isBlank()) {
            throw new IllegalArgumentException(
                    "a windowed aggregation needs a uid prefix (the stage id)");
        }
        Plan plan = plan(inType, keyFields, aggs);
        String why = preAggregate ? notPreAggregated(plan, window, aggs) : "turned off";
        if (why == null) {
            return preAggregated(in, inType, plan, window, uidPrefix, keepLate);
        }
        OutputTag<Row> lateTag = new OutputTag<>(uidPrefix + "-late", inType);
        WindowedStream<Row, Row, TimeWindow> windowed =
                in.keyBy(new KeyFieldsSelector(plan.keyPositions), plan.keyType)
                        .window(window.assigner())
                        .allowedLateness(window.allowedLateness());
        if (keepLate) {
            windowed = windowed.sideOutputLateData(lateTag);
        }
        WindowRowEmitter emitter = emitter(plan, window);
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
        out.name(window.kind().queryName() + " window " + uidPrefix).setDescription(NOT + why);
        return new Result(out, plan.outType, keepLate ? out.getSideOutput(lateTag) : null);
    }

    /** Largest number of (key, pane) accumulators a {@link PaneCombiner} holds before sending. */
    static final int MAX_PARTIALS = 16_384;

    /**
     * Whether {@link #apply} pre-aggregates this window before its shuffle (when asked to): "pre-
     * aggregated per key and PANE pane", or "not pre-aggregated: " and why.
     */
    public static String preAggregation(
            RowTypeInfo inType,
            List<String> keyFields,
            WindowSpec window,
            List<AggregateSpec> aggs) {
        String why = notPreAggregated(plan(inType, keyFields, aggs), window, aggs);
        return why == null ? PRE_AGGREGATED + millisText(window.paneMillis()) + " pane" : NOT + why;
    }

    private static final String PRE_AGGREGATED = "pre-aggregated per key and ";
    private static final String NOT = "not pre-aggregated: ";

    /**
     * Why a window is not pre-aggregated before its shuffle, or null when it is: session windows
     * have no panes (their bounds follow the data), and every aggregate must {@linkplain
     * Aggregator#mergesExactly() merge exactly}, so that results do not change.
     */
    private static String notPreAggregated(Plan plan, WindowSpec window, List<AggregateSpec> aggs) {
        if (window.paneMillis() <= 0) {
            return window.kind().queryName() + " windows have no fixed panes";
        }
        if (buffersRows(aggs)) {
            return "exact quantiles, count_distinct and top_k keep every row in the window";
        }
        List<String> inexact = new ArrayList<>();
        for (int i = 0; i < aggs.size(); i++) {
            if (!plan.aggregators.get(i).mergesExactly()) {
                inexact.add(aggs.get(i).name());
            }
        }
        return inexact.isEmpty()
                ? null
                : "aggregates "
                        + inexact
                        + " do not merge exactly (floating-point sums and averages, approximate"
                        + " quantiles and top_k, WebAssembly)";
    }

    private static Result preAggregated(
            DataStream<Row> in,
            RowTypeInfo inType,
            Plan plan,
            WindowSpec window,
            String uidPrefix,
            boolean keepLate) {
        int k = plan.keyPositions.length;
        TypeInformation<?>[] types = new TypeInformation<?>[k + 2];
        String[] names = new String[k + 2];
        for (int i = 0; i < k; i++) {
            types[i] = plan.keyType.getTypeAt(i);
            names[i] = plan.keyType.getFieldNames()[i];
        }
        types[k] = plan.function.accumulatorType();
        names[k] = "_partial";
        types[k + 1] = inType;
        names[k + 1] = "_row";
        RowTypeInfo partialType = new RowTypeInfo(types, names);
        String pane = millisText(window.paneMillis());
        // chained to the operator before it (Flink's default chaining for operators)
        PaneCombiner combiner =
                new PaneCombiner(
                        plan.keyPositions,
                        plan.function,
                        window.paneMillis(),
                        window.assigner(),
                        MAX_PARTIALS);
        SingleOutputStreamOperator<Row> partials =
                in.transform("pre-aggregate " + uidPrefix + " per " + pane, partialType, combiner)
                        .uid(uidPrefix + "-combine");
        partials.setDescription(
                "partial aggregates per key and " + pane + " pane, sent as the watermark passes");
        int[] partialKey = new int[k];
        for (int i = 0; i < k; i++) {
            partialKey[i] = i;
        }
        OutputTag<Row> lateTag = new OutputTag<>(uidPrefix + "-late", partialType);
        WindowedStream<Row, Row, TimeWindow> windowed =
                partials.keyBy(new KeyFieldsSelector(partialKey), plan.keyType)
                        .window(window.assigner())
                        .allowedLateness(window.allowedLateness());
        if (keepLate) {
            windowed = windowed.sideOutputLateData(lateTag);
        }
        SingleOutputStreamOperator<Row> out =
                windowed.aggregate(
                                new PartialMergeFunction(plan.function, k),
                                emitter(plan, window),
                                plan.function.accumulatorType(),
                                plan.aggType,
                                plan.outType)
                        .uid(uidPrefix + "-window");
        out.name(window.kind().queryName() + " window " + uidPrefix)
                .setDescription(PRE_AGGREGATED + pane + " pane");
        DataStream<Row> late = null;
        if (keepLate) {
            late =
                    out.getSideOutput(lateTag)
                            .map(new LateRow(k))
                            .returns(inType)
                            .name("late rows " + uidPrefix)
                            .uid(uidPrefix + "-late-rows");
        }
        return new Result(out, plan.outType, late);
    }

    /** 60000 -> "1m", 1500 -> "1500ms": the largest unit that divides the pane. */
    static String millisText(long ms) {
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    private static WindowRowEmitter emitter(Plan plan, WindowSpec window) {
        return new WindowRowEmitter(
                plan.keyPositions.length,
                !window.allowedLateness().isZero(),
                window.kind() == WindowSpec.Kind.SESSION);
    }

    /**
     * A late element's input row. Only rows passed on alone can be late: a pane's partial reaches
     * the window before the watermark that could make it late (see {@link PaneCombiner}).
     */
    private static final class LateRow implements MapFunction<Row, Row> {
        @Serial private static final long serialVersionUID = 1L;

        private final int keyArity;

        LateRow(int keyArity) {
            this.keyArity = keyArity;
        }

        @Override
        public Row map(Row partial) {
            Row row = (Row) partial.getField(keyArity + 1);
            if (row == null) {
                throw new IllegalStateException(
                        "a pre-aggregated partial reached its window after the window closed;"
                                + " its rows cannot be sent to late_output (set"
                                + " runtime.pre_aggregate: false and report this)");
            }
            return row;
        }
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
            List<Aggregator<?>> aggregators,
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
                aggregators,
                function,
                function.resultType(aggNames),
                new RowTypeInfo(
                        outTypes.toArray(new TypeInformation<?>[0]),
                        outNames.toArray(new String[0])));
    }
}
