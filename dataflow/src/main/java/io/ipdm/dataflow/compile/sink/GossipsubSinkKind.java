package io.ipdm.dataflow.compile.sink;

import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.PayloadFormat;
import io.ipdm.connectors.gossipsub.sink.GossipsubSink;
import io.ipdm.connectors.lakes.LakesSink;
import io.ipdm.connectors.lakes.LakesSinkOptions;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.GossipsubNode;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SinkKind;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SinkSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code kind: gossipsub}: publishes the input's rows on a gossipsub topic, or ({@code publish:
 * lake_roots}) writes each closed window to Lava Lakes and publishes the window's root CID.
 */
public final class GossipsubSinkKind implements SinkKind {
    @Override
    public String name() {
        return "gossipsub";
    }

    @Override
    public String summary() {
        return "publishes rows, or the root CIDs of windows written to Lava Lakes, on a topic";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> out = new ArrayList<>(GossipsubNode.OPTIONS);
        out.add(
                OptionSpec.of(
                        "publish",
                        Type.STRING,
                        "rows",
                        "rows, or lake_roots: each closed window goes to the lake and its root"
                                + " CID is published"));
        out.add(
                OptionSpec.of(
                        "lake",
                        Type.STRING,
                        null,
                        "the lake directory windows are written to (required with lake_roots)"));
        out.add(
                OptionSpec.of(
                                "min_subscribers",
                                Type.INTEGER,
                                0L,
                                "subscribers to wait for before the first publish")
                        .range(0, Integer.MAX_VALUE));
        out.add(
                OptionSpec.of(
                        "subscriber_timeout",
                        Type.DURATION,
                        Duration.ofSeconds(30),
                        "how long to wait for min_subscribers"));
        return out;
    }

    /** What is published: its rows' type, from the input's. */
    private static RowTypeInfo published(
            SinkSpec sink, Options o, StreamType input, CompileContext ctx) {
        String path = o.path();
        String publish = o.string("publish");
        String lake = o.string("lake");
        return switch (publish) {
            case "rows" -> {
                if (lake != null) {
                    throw ctx.error(path + ".lake", "'lake' is only used with publish: lake_roots");
                }
                yield input.type();
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
                yield LakesSink.ROOTS;
            }
            default ->
                    throw ctx.error(
                            path + ".publish",
                            "unknown value '" + publish + "'; expected rows or lake_roots");
        };
    }

    private static GossipsubOptions node(Options o, RowTypeInfo type, CompileContext ctx) {
        if (o.given("subscriber_timeout") && o.int32("min_subscribers") == 0) {
            throw ctx.error(
                    o.path("subscriber_timeout"),
                    "subscriber_timeout bounds the wait for min_subscribers, which is 0 (no"
                            + " wait); set min_subscribers or drop subscriber_timeout");
        }
        GossipsubNode node = GossipsubNode.read(o, ctx);
        node.checkPublisher(ctx);
        GossipsubOptions options =
                node.options(
                        0, 1, o.int32("min_subscribers"), o.duration("subscriber_timeout"), ctx);
        if (node.format() == PayloadFormat.RAW
                && !Arrays.asList(type.getFieldNames()).contains("data")) {
            throw ctx.error(
                    o.path("format"),
                    "format raw publishes the 'data' field (bytes); the published rows have "
                            + Arrays.toString(type.getFieldNames()));
        }
        return options;
    }

    @Override
    public void check(SinkSpec sink, Options o, StreamType input, CompileContext ctx) {
        RowTypeInfo type = published(sink, o, input, ctx);
        GossipsubOptions options = node(o, type, ctx);
        try {
            new GossipsubSink(options, type);
        } catch (IllegalArgumentException e) {
            throw ctx.error(o.path(), e.getMessage());
        }
    }

    @Override
    public void emit(SinkSpec sink, Options o, TypedStream input, CompileContext ctx) {
        RowTypeInfo type = published(sink, o, input.shape(), ctx);
        GossipsubOptions options = node(o, type, ctx);
        DataStream<Row> rows;
        String what;
        if ("lake_roots".equals(o.string("publish"))) {
            String dir =
                    ctx.baseDir().resolve(o.string("lake")).toAbsolutePath().normalize().toString();
            rows =
                    LakesSink.windows(
                            input.stream(),
                            input.type(),
                            LakesSinkOptions.of(dir),
                            "sink-" + sink.id() + "-lake");
            what = "lake roots";
        } else {
            rows = input.stream();
            what = "rows";
        }
        rows.sinkTo(new GossipsubSink(options, type))
                .uid("sink-" + sink.id())
                .name(
                        "Sink: "
                                + sink.id()
                                + " (gossipsub "
                                + o.string("topic")
                                + ", "
                                + what
                                + ")");
    }
}
