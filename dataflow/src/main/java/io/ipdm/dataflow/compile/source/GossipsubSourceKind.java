package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.attest.VerifiedRoots;
import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.GossipsubSource;
import io.ipdm.connectors.gossipsub.PayloadFormat;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.GossipsubNode;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SourceKind;
import io.ipdm.dataflow.compile.SourceWatermarks;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SourceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code kind: gossipsub}: the messages on a topic as rows. Messages carry no schema, so the
 * payload fields are declared in {@code fields} ({@code name:type}); the rows are those fields then
 * the metadata {@code topic, message_id, author, seqno} (format raw: the metadata then {@code
 * data}).
 */
public final class GossipsubSourceKind implements SourceKind {
    @Override
    public boolean reproducible() {
        return false;
    }

    @Override
    public String name() {
        return "gossipsub";
    }

    @Override
    public String summary() {
        return "the messages on a gossipsub topic as rows (unbounded, at most once)";
    }

    @Override
    public boolean readsTable() {
        return false;
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> out = new ArrayList<>(GossipsubNode.OPTIONS);
        out.add(
                OptionSpec.of(
                        "fields",
                        Type.LIST,
                        null,
                        "the payload's fields as name:type (types "
                                + String.join(", ", TYPES.keySet())
                                + "); required for json and arrow"));
        out.add(
                OptionSpec.of(
                                "dedup_window",
                                Type.INTEGER,
                                100_000L,
                                "message ids remembered to drop repeats")
                        .range(0, Integer.MAX_VALUE));
        out.add(
                OptionSpec.of(
                                "queue_capacity",
                                Type.INTEGER,
                                100_000L,
                                "messages buffered per reader")
                        .range(1, Integer.MAX_VALUE));
        out.addAll(VerifyOptions.specs("pass a row (by its root_cid)"));
        return out;
    }

    private static final Map<String, TypeInformation<?>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("string", BasicTypeInfo.STRING_TYPE_INFO);
        TYPES.put("long", BasicTypeInfo.LONG_TYPE_INFO);
        TYPES.put("int", BasicTypeInfo.INT_TYPE_INFO);
        TYPES.put("double", BasicTypeInfo.DOUBLE_TYPE_INFO);
        TYPES.put("boolean", BasicTypeInfo.BOOLEAN_TYPE_INFO);
        TYPES.put("bytes", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    @Override
    public RowTypeInfo type(SourceSpec source, Options o, CompileContext ctx) {
        return build(source, o, ctx).rowType();
    }

    @Override
    public TypedStream emit(SourceSpec source, Options o, RowTypeInfo type, CompileContext ctx) {
        GossipsubSource gossipsub = build(source, o, ctx);
        RowTypeInfo rows = gossipsub.rowType();
        DataStream<Row> stream =
                ctx.env()
                        .fromSource(
                                ReportingSource.of(gossipsub),
                                SourceWatermarks.of(source, rows, ctx),
                                source.id() + " (gossipsub " + o.string("topic") + ")",
                                rows)
                        .uid(CompileContext.uid(source.id(), "source"));
        if (o.bool("verified_only")) {
            stream = verifiedOnly(source, o, rows, stream, ctx);
        }
        return new TypedStream(source.id(), stream, rows, List.of(), source.eventTime());
    }

    /**
     * Holds each row until the node says its {@code root_cid} is verified, then re-assigns event
     * time (rows held back come out later than the source's own watermarks allow).
     */
    private static DataStream<Row> verifiedOnly(
            SourceSpec source,
            Options o,
            RowTypeInfo rows,
            DataStream<Row> stream,
            CompileContext ctx) {
        int root = rows.getFieldIndex("root_cid");
        String dir = VerifyOptions.node(o, ctx);
        return stream.keyBy(
                        r -> java.util.Objects.toString(r.getField(root), ""),
                        org.apache.flink.api.common.typeinfo.Types.STRING)
                .process(
                        new VerifiedRoots(
                                dir, rows, Duration.ofSeconds(1), o.duration("verify_timeout")),
                        rows)
                .uid(CompileContext.uid(source.id(), "verified"))
                .name(source.id() + " (verified roots only)")
                .assignTimestampsAndWatermarks(SourceWatermarks.of(source, rows, ctx))
                .uid(CompileContext.uid(source.id(), "verified-watermarks"));
    }

    private static GossipsubSource build(SourceSpec source, Options o, CompileContext ctx) {
        String base = "sources." + source.id();
        if (source.table() != null) {
            throw ctx.error(
                    base + ".table",
                    "a gossipsub source has no table; declare the payload's fields in"
                            + " options.fields, e.g. [slot:long, root_cid:string]");
        }
        String path = o.path();
        VerifyOptions.refuseUnused(o, ctx);
        GossipsubNode node = GossipsubNode.read(o, ctx);
        RowTypeInfo payload = payload(o.list("fields"), node.format(), path, ctx);
        if (o.bool("verified_only")
                && (payload == null
                        || payload.getFieldIndex("root_cid") < 0
                        || !payload.getTypeAt(payload.getFieldIndex("root_cid"))
                                .equals(BasicTypeInfo.STRING_TYPE_INFO))) {
            throw ctx.error(
                    path + ".verified_only",
                    "verified_only checks each row's root_cid; declare it in fields as"
                            + " root_cid:string (the messages of a publish: lake_roots sink)");
        }
        GossipsubOptions options =
                node.options(
                        o.int32("dedup_window"),
                        o.int32("queue_capacity"),
                        0,
                        Duration.ofSeconds(30),
                        ctx);
        try {
            return new GossipsubSource(options, payload);
        } catch (IllegalArgumentException e) {
            throw ctx.error(path + ".fields", e.getMessage());
        }
    }

    private static RowTypeInfo payload(
            List<String> fields, PayloadFormat format, String path, CompileContext ctx) {
        if (format == PayloadFormat.RAW) {
            if (fields != null) {
                throw ctx.error(
                        path + ".fields",
                        "format raw emits the payload as bytes in 'data'; remove 'fields'");
            }
            return null;
        }
        if (fields == null || fields.isEmpty()) {
            throw ctx.error(
                    path,
                    "missing required option 'fields' (the payload's fields as name:type,"
                            + " e.g. [slot:long, root_cid:string]; types: "
                            + String.join(", ", TYPES.keySet())
                            + ")");
        }
        List<String> names = new ArrayList<>();
        List<TypeInformation<?>> types = new ArrayList<>();
        for (String f : fields) {
            int colon = f.indexOf(':');
            TypeInformation<?> t = colon < 0 ? null : TYPES.get(f.substring(colon + 1).strip());
            if (t == null) {
                throw ctx.error(
                        path + ".fields",
                        "field '"
                                + f
                                + "' should be name:type with type one of "
                                + String.join(", ", TYPES.keySet()));
            }
            String name = f.substring(0, colon).strip();
            if (names.contains(name)) {
                throw ctx.error(path + ".fields", "field '" + name + "' is declared twice");
            }
            names.add(name);
            types.add(t);
        }
        return new RowTypeInfo(
                types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0]));
    }
}
