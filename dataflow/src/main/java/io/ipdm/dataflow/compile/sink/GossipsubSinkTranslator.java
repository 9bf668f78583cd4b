package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.PayloadFormat;
import io.ipdm.connectors.gossipsub.sink.GossipsubSink;
import io.ipdm.connectors.lakes.LakesSink;
import io.ipdm.connectors.lakes.LakesSinkOptions;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.GossipsubNode;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.SinkSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code kind: gossipsub}: publishes the input's rows on a gossipsub topic, or ({@code publish:
 * lake_roots}) writes each closed window to Lava Lakes and publishes the window's root CID.
 */
public final class GossipsubSinkTranslator implements SinkTranslator {
    @Override
    public void translate(SinkSpec sink, TypedStream input, CompileContext ctx) {
        String path = "sinks." + sink.id() + ".options";
        Options o = new Options(sink.options(), path, ctx);
        GossipsubNode node = GossipsubNode.read(o, path, ctx);
        String publish = o.string("publish", "rows");
        String lake = o.optionalString("lake");
        int minSubscribers = o.intValue("min_subscribers", 0, 0, Integer.MAX_VALUE);
        Duration subscriberTimeout = o.duration("subscriber_timeout", Duration.ofSeconds(30));
        o.checkKnown();
        PayloadFormat format = node.format();
        GossipsubOptions options = node.options(0, 1, minSubscribers, subscriberTimeout, ctx);
        DataStream<Row> rows;
        RowTypeInfo type;
        String what;
        switch (publish) {
            case "rows" -> {
                if (lake != null) {
                    throw ctx.error(path + ".lake", "'lake' is only used with publish: lake_roots");
                }
                rows = input.stream();
                type = input.type();
                what = "rows";
            }
            case "lake_roots" -> {
                if (lake == null) {
                    throw ctx.error(
                            path,
                            "publish: lake_roots needs option 'lake' (the lake directory the"
                                    + " windows are written to)");
                }
                List<String> fields = input.fieldNames();
                if (!fields.contains("window_start") || !fields.contains("window_end")) {
                    throw ctx.error(
                            "sinks." + sink.id() + ".input",
                            "publish: lake_roots needs a window stage's output (window_start and"
                                    + " window_end); '"
                                    + input.id()
                                    + "' has "
                                    + fields);
                }
                String dir = ctx.baseDir().resolve(lake).toAbsolutePath().normalize().toString();
                rows =
                        LakesSink.windows(
                                input.stream(),
                                input.type(),
                                LakesSinkOptions.of(dir),
                                "sink-" + sink.id() + "-lake");
                type = LakesSink.ROOTS;
                what = "lake roots";
            }
            default ->
                    throw ctx.error(
                            path + ".publish",
                            "unknown value '" + publish + "'; expected rows or lake_roots");
        }
        if (format == PayloadFormat.RAW && !Arrays.asList(type.getFieldNames()).contains("data")) {
            throw ctx.error(
                    path + ".format",
                    "format raw publishes the 'data' field (bytes); the published rows have "
                            + Arrays.toString(type.getFieldNames()));
        }
        try {
            rows.sinkTo(new GossipsubSink(options, type))
                    .uid("sink-" + sink.id())
                    .name("Sink: " + sink.id() + " (gossipsub " + node.topic() + ", " + what + ")");
        } catch (IllegalArgumentException e) {
            throw ctx.error(path, e.getMessage());
        }
    }
}
