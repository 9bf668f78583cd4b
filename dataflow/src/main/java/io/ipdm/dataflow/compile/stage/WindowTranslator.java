package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.spec.WindowDef;
import io.ipdm.operators.aggregate.AggregateKind;
import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.window.WindowSpec;
import io.ipdm.operators.window.WindowedAggregation;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * {@code kind: window}: keyed event-time window with incremental aggregates. Its late rows, if
 * {@code late_output} is set, become a stream of that id.
 */
public final class WindowTranslator implements StageTranslator<StageSpec.Window> {
    @Override
    public TypedStream translate(StageSpec.Window stage, TypedStream input, CompileContext ctx) {
        String base = "stages." + stage.id();
        List<String> keys;
        if (stage.keyBy() != null) {
            if (!input.keyFields().isEmpty()) {
                throw ctx.error(
                        base + ".key_by",
                        "input '"
                                + input.id()
                                + "' is already keyed by "
                                + input.keyFields()
                                + "; remove key_by here or the key_by stage");
            }
            keys = stage.keyBy();
            for (int i = 0; i < keys.size(); i++) {
                if (input.type().getFieldIndex(keys.get(i)) < 0) {
                    throw ctx.error(
                            base + ".key_by[" + i + "]", Fields.unknown(keys.get(i), input));
                }
            }
        } else {
            keys = input.keyFields();
        }
        List<AggregateSpec> aggs = new ArrayList<>();
        for (int i = 0; i < stage.aggregates().size(); i++) {
            aggs.add(
                    aggregate(
                            stage.aggregates().get(i),
                            base + ".aggregates[" + i + "]",
                            input,
                            ctx));
        }
        WindowSpec window = window(stage.window());
        try {
            WindowedAggregation.outputType(input.type(), keys, aggs);
        } catch (IllegalArgumentException e) {
            throw ctx.error(base, e.getMessage());
        }
        WindowedAggregation.Result result =
                WindowedAggregation.apply(
                        input.stream(), input.type(), keys, window, aggs, stage.id());
        String late = stage.window().lateOutput();
        if (late != null) {
            ctx.addStream(
                    late,
                    new TypedStream(
                            late, result.late(), input.type(), List.of(), input.eventTime()));
        }
        RowTypeInfo outType = result.outType();
        return input.with(stage.id(), result.out(), outType);
    }

    static WindowSpec window(WindowDef d) {
        return switch (d.type()) {
            case TUMBLING ->
                    new WindowSpec(WindowSpec.Kind.TUMBLING, d.size(), null, d.allowedLateness());
            case HOPPING ->
                    new WindowSpec(
                            WindowSpec.Kind.HOPPING, d.size(), d.slide(), d.allowedLateness());
            case SESSION ->
                    new WindowSpec(WindowSpec.Kind.SESSION, d.gap(), null, d.allowedLateness());
            case CUMULATIVE ->
                    new WindowSpec(
                            WindowSpec.Kind.CUMULATIVE, d.size(), d.step(), d.allowedLateness());
        };
    }

    private static AggregateSpec aggregate(
            AggregateDef a, String path, TypedStream input, CompileContext ctx) {
        if (a.wasm() != null) {
            return WasmAggregateTranslator.aggregate(a.wasm(), path, input, ctx);
        }
        if (a.field() != null && input.type().getFieldIndex(a.field()) < 0) {
            throw ctx.error(path + ".field", Fields.unknown(a.field(), input));
        }
        String timeField = null;
        if (a.fn() == AggregateDef.Fn.FIRST || a.fn() == AggregateDef.Fn.LAST) {
            timeField = input.eventTime() == null ? null : input.eventTime().field();
            if (timeField == null || input.type().getFieldIndex(timeField) < 0) {
                throw ctx.error(
                        path,
                        a.fn().yaml()
                                + " orders rows by the event-time field '"
                                + timeField
                                + "', which '"
                                + input.id()
                                + "' does not have; keep it in the projection");
            }
        }
        Precision precision =
                a.mode() == AggregateDef.Mode.APPROXIMATE ? Precision.APPROXIMATE : Precision.EXACT;
        AggregateKind kind = AggregateKind.valueOf(a.fn().name());
        return new AggregateSpec(
                a.name(),
                kind,
                a.field(),
                kind == AggregateKind.COUNT_DISTINCT
                                || kind == AggregateKind.TOP_K
                                || kind == AggregateKind.QUANTILES
                        ? precision
                        : Precision.EXACT,
                a.k() == null ? 0 : a.k(),
                a.quantiles(),
                timeField);
    }
}
