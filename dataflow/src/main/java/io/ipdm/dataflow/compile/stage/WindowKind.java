package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.StageKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.spec.WindowDef;
import io.ipdm.operators.aggregate.AggregateKind;
import io.ipdm.operators.aggregate.AggregateSpec;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.window.WindowSpec;
import io.ipdm.operators.window.WindowedAggregation;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kind: window}: keyed event-time window with incremental aggregates. Its late rows, if
 * {@code late_output} is set, become a stream of that id. Rows are pre-aggregated per key and pane
 * before the shuffle when the aggregates merge exactly, unless {@code runtime.pre_aggregate: false}
 * ({@link WindowedAggregation#apply}).
 */
public final class WindowKind implements StageKind<StageSpec.Window> {
    @Override
    public String name() {
        return "window";
    }

    @Override
    public String summary() {
        return "event-time window with built-in or WebAssembly aggregates, per key";
    }

    @Override
    public Class<StageSpec.Window> specType() {
        return StageSpec.Window.class;
    }

    @Override
    public List<OptionSpec> keys() {
        return List.of(
                OptionSpec.of(
                        "key_by",
                        Type.LIST,
                        null,
                        "key fields (or an input from a key_by stage; none: one global window)"),
                OptionSpec.required(
                        "window",
                        Type.MAP,
                        "{type: tumbling | hopping | session | cumulative, size, slide, gap, step,"
                                + " allowed_lateness, late_output}"),
                OptionSpec.required(
                        "aggregates",
                        Type.LIST,
                        "{name, fn, field, mode, k, quantiles} or {wasm: module.function, fields,"
                                + " columns, batch}"));
    }

    private static List<String> keys(StageSpec.Window stage, StreamType input, CompileContext ctx) {
        String base = "stages." + stage.id();
        if (stage.keyBy() == null) {
            return input.keyFields();
        }
        if (!input.keyFields().isEmpty()) {
            throw ctx.error(
                    base + ".key_by",
                    "input '"
                            + input.id()
                            + "' is already keyed by "
                            + input.keyFields()
                            + "; remove key_by here or the key_by stage");
        }
        List<String> keys = stage.keyBy();
        for (int i = 0; i < keys.size(); i++) {
            if (input.type().getFieldIndex(keys.get(i)) < 0) {
                throw ctx.error(base + ".key_by[" + i + "]", Fields.unknown(keys.get(i), input));
            }
        }
        return keys;
    }

    /** The aggregates; in typing ({@code report}) every mistake is reported and null returned. */
    private static List<AggregateSpec> aggregates(
            StageSpec.Window stage, StreamType input, CompileContext ctx, boolean report) {
        List<AggregateSpec> aggs = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < stage.aggregates().size(); i++) {
            try {
                aggs.add(
                        aggregate(
                                stage.aggregates().get(i),
                                "stages." + stage.id() + ".aggregates[" + i + "]",
                                input,
                                ctx));
            } catch (PipelineException e) {
                if (!report) {
                    throw e;
                }
                ctx.report(e);
                ok = false;
            }
        }
        return ok ? aggs : null;
    }

    @Override
    public StreamType type(StageSpec.Window stage, StreamType input, CompileContext ctx) {
        List<String> keys = keys(stage, input, ctx);
        List<AggregateSpec> aggs = aggregates(stage, input, ctx, true);
        if (aggs == null) {
            return null;
        }
        try {
            window(stage.window());
            return input.with(stage.id(), WindowedAggregation.outputType(input.type(), keys, aggs));
        } catch (IllegalArgumentException e) {
            throw ctx.error("stages." + stage.id(), e.getMessage());
        }
    }

    @Override
    public TypedStream emit(StageSpec.Window stage, TypedStream input, CompileContext ctx) {
        List<String> keys = keys(stage, input.shape(), ctx);
        List<AggregateSpec> aggs = aggregates(stage, input.shape(), ctx, false);
        String late = stage.window().lateOutput();
        Boolean preAggregate = ctx.spec().runtime().preAggregate();
        // without late_output, late rows are dropped and counted (the run's summary warns)
        WindowedAggregation.Result result =
                WindowedAggregation.apply(
                        input.stream(),
                        input.type(),
                        keys,
                        window(stage.window()),
                        aggs,
                        stage.id(),
                        late != null,
                        preAggregate == null || preAggregate);
        if (late != null) {
            ctx.addSideStream(
                    late,
                    new TypedStream(
                            late, result.late(), input.type(), List.of(), input.eventTime()));
        }
        return input.with(stage.id(), result.out(), result.outType());
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
            AggregateDef def, String path, StreamType input, CompileContext ctx) {
        AggregateDef.BuiltIn a;
        switch (def) {
            case AggregateDef.Wasm w -> {
                return WasmAggregateTranslator.aggregate(w, path, input, ctx);
            }
            case AggregateDef.BuiltIn b -> a = b;
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
