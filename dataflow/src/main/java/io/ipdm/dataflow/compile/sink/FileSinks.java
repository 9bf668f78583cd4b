package io.ipdm.dataflow.compile.sink;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.sink.TopPerWindow;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SinkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** Checks and options shared by the file sinks. */
final class FileSinks {
    private FileSinks() {}

    static void requireCheckpoints(SinkSpec sink, CompileContext ctx) {
        Duration interval = ctx.spec().runtime().checkpointInterval();
        if (interval.isZero()) {
            throw ctx.error(
                    "sinks." + sink.id() + ".kind",
                    "a "
                            + sink.kind()
                            + " sink commits its files on checkpoints; set"
                            + " runtime.checkpoint_interval above 0");
        }
    }

    /**
     * The sink directory must be one the job can create or write: not a file, not under a file, and
     * its nearest existing directory writable (else Flink fails seconds into the run).
     */
    static void checkDirectory(Options o, CompileContext ctx) {
        Path dir = ctx.baseDir().resolve(o.string("path")).toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw ctx.error(o.path("path"), dir + " is a file; the sink writes a directory");
        }
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            throw ctx.error(
                    o.path("path"),
                    "cannot create "
                            + dir
                            + ": "
                            + existing
                            + " is a file; choose a path under a directory");
        }
        if (!Files.isWritable(existing)) {
            throw ctx.error(
                    o.path("path"),
                    "cannot "
                            + (existing.equals(dir) ? "write to " : "create ")
                            + dir
                            + ": "
                            + existing
                            + " is not writable; choose a writable directory");
        }
    }

    /** A file sink's own options, then {@code top} and {@code order_by}. */
    static List<OptionSpec> withTop(OptionSpec... own) {
        List<OptionSpec> out = new java.util.ArrayList<>(List.of(own));
        out.addAll(topOptions());
        return out;
    }

    private static List<OptionSpec> topOptions() {
        return List.of(
                OptionSpec.of(
                                "top",
                                Type.INTEGER,
                                0L,
                                "rows written per window (window_start, window_end), the largest"
                                        + " by order_by; 0 = all")
                        .range(0, Integer.MAX_VALUE),
                OptionSpec.of(
                        "order_by",
                        Type.STRING,
                        null,
                        "the column top ranks by, descending (only with top: files keep arrival"
                                + " order)"));
    }

    /**
     * {@code top} needs window rows and a column to rank by, and {@code order_by} means nothing
     * without {@code top}.
     */
    static void checkTop(Options o, StreamType input, CompileContext ctx) {
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
        if (o.int32("top") == 0) {
            if (orderBy != null) {
                throw ctx.error(
                        o.path("order_by"),
                        "order_by ranks the rows top keeps; without top a file sink writes every"
                                + " row as it comes, so order_by would do nothing: add top: N (rows"
                                + " per window) or drop order_by");
            }
            return;
        }
        if (orderBy == null) {
            throw ctx.error(o.path("top"), "top needs order_by: the column rows are ranked by");
        }
        if (input.type().getFieldIndex("window_end") < 0
                || !Types.LONG.equals(input.type().getTypeAt("window_end"))) {
            throw ctx.error(
                    o.path("top"),
                    "top ranks rows within each window, but '"
                            + input.id()
                            + "' has no window_end column; use it on a window stage's rows (or a"
                            + " SQL stage's with window_start and window_end)");
        }
    }

    /** The rows a file sink writes: all, or the top of each window. */
    static DataStream<Row> ranked(SinkSpec sink, Options o, TypedStream input) {
        int top = o.int32("top");
        if (top == 0) {
            return input.stream();
        }
        RowTypeInfo type = input.type();
        int start = type.getFieldIndex("window_start");
        int end = type.getFieldIndex("window_end");
        int[] key = start >= 0 ? new int[] {start, end} : new int[] {end};
        return input.stream()
                .keyBy(new WindowKey(key), new RowTypeInfo(keyTypes(type, key)))
                .process(new TopPerWindow(type, end, type.getFieldIndex(o.string("order_by")), top))
                .returns(type)
                .uid("sink-" + sink.id() + "-top")
                .name("top " + top + " per window by " + o.string("order_by"));
    }

    private static TypeInformation<?>[] keyTypes(RowTypeInfo type, int[] key) {
        TypeInformation<?>[] t = new TypeInformation<?>[key.length];
        for (int i = 0; i < key.length; i++) {
            t[i] = type.getTypeAt(key[i]);
        }
        return t;
    }

    /** The window of a row: (window_start, window_end). */
    private record WindowKey(int[] fields) implements KeySelector<Row, Row> {
        @Override
        public Row getKey(Row r) {
            Row k = new Row(fields.length);
            for (int i = 0; i < fields.length; i++) {
                k.setField(i, r.getField(fields[i]));
            }
            return k;
        }
    }

    /** The sink directory as a file URI, relative paths against the pipeline's base directory. */
    static String directory(String dir, CompileContext ctx) {
        return ctx.baseDir().resolve(dir).toAbsolutePath().normalize().toUri().toString();
    }
}
