package io.ipdm.operators.wasm;

import java.io.Serial;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * A module's aggregate as a plain Flink window {@link AggregateFunction} (for jobs written in Java;
 * pipelines use {@link WasmAggregator} inside a window's aggregates). The accumulator is a {@link
 * WasmAccumulator} typed by {@link #accumulatorType()} with its explicit serializer.
 */
public final class WasmAggregateFunction implements AggregateFunction<Row, WasmAccumulator, Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final WasmAggregator aggregator;

    /**
     * @param stage the module and aggregate function; its batch size is the fold size
     * @throws IllegalArgumentException if the function is not an aggregate or an input column is
     *     not a compatible field of {@code inType}
     */
    public WasmAggregateFunction(WasmStage stage, RowTypeInfo inType) {
        this.aggregator = new WasmAggregator(stage, inType, Map.of(), Map.of());
    }

    public TypeInformation<WasmAccumulator> accumulatorType() {
        return new WasmAccumulatorTypeInfo(aggregator.pendingType());
    }

    /** One field per output column of the aggregate. */
    public RowTypeInfo resultType() {
        return aggregator.resultType();
    }

    @Override
    public WasmAccumulator createAccumulator() {
        return aggregator.createAccumulator();
    }

    @Override
    public WasmAccumulator add(Row value, WasmAccumulator acc) {
        return aggregator.add(acc, value);
    }

    @Override
    public Row getResult(WasmAccumulator acc) {
        return (Row) aggregator.result(acc);
    }

    @Override
    public WasmAccumulator merge(WasmAccumulator a, WasmAccumulator b) {
        return aggregator.merge(a, b);
    }
}
