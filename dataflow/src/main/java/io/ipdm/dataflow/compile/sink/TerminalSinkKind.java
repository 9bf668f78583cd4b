package io.ipdm.dataflow.compile.sink;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.sink.TerminalSink;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SinkSpec;
import java.util.List;

/** {@code kind: terminal}: readable tables on the CLI's terminal as windows close. */
public final class TerminalSinkKind implements SinkKind {
    @Override
    public String name() {
        return "terminal";
    }

    @Override
    public String summary() {
        return "prints rows as tables on the terminal, one per window as it closes";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("top", Type.INTEGER, 0L, "rows shown per window; 0 = all")
                        .range(0, Integer.MAX_VALUE),
                OptionSpec.of(
                        "order_by",
                        Type.STRING,
                        null,
                        "column the rows are sorted by, descending; ties by the other columns in"
                                + " order, ascending"));
    }

    @Override
    public void check(SinkSpec sink, Options o, StreamType input, CompileContext ctx) {
        String orderBy = o.string("order_by");
        if (orderBy != null && input.type().getFieldIndex(orderBy) < 0) {
            throw ctx.error(
                    o.path("order_by"),
                    "unknown column '"
                            + orderBy
                            + "'; columns of '"
                            + input.id()
                            + "': "
                            + String.join(", ", input.fieldNames()));
        }
    }

    @Override
    public void emit(SinkSpec sink, Options o, TypedStream input, CompileContext ctx) {
        input.stream()
                .sinkTo(
                        new TerminalSink(
                                input.id(),
                                input.fieldNames(),
                                o.string("order_by"),
                                o.int32("top")))
                .uid("sink-" + sink.id())
                .name("Sink: " + sink.id() + " (terminal)")
                .setParallelism(1);
    }
}
