package io.ipdm.dataflow.compile.sink;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.sink.TerminalSink;
import io.ipdm.dataflow.spec.SinkSpec;

/** {@code kind: terminal}: readable tables on the CLI's terminal as windows close. */
public final class TerminalSinkTranslator implements SinkTranslator {
    @Override
    public void translate(SinkSpec sink, TypedStream input, CompileContext ctx) {
        String path = "sinks." + sink.id() + ".options";
        Options o = new Options(sink.options(), path, ctx);
        int top = o.intValue("top", 0, 0, Integer.MAX_VALUE); // 0: all rows
        String orderBy = o.optionalString("order_by");
        o.checkKnown();
        if (orderBy != null && input.type().getFieldIndex(orderBy) < 0) {
            throw ctx.error(
                    path + ".order_by",
                    "unknown column '"
                            + orderBy
                            + "'; columns of '"
                            + input.id()
                            + "': "
                            + String.join(", ", input.fieldNames()));
        }
        input.stream()
                .sinkTo(new TerminalSink(input.id(), input.fieldNames(), orderBy, top))
                .uid("sink-" + sink.id())
                .name("Sink: " + sink.id() + " (terminal)")
                .setParallelism(1);
    }
}
