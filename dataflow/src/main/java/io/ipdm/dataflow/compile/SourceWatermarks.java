package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.EventTimeSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.operators.time.EventTimeUnit;
import io.ipdm.operators.time.EventTimeWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/** A source's watermarks from its (or the pipeline's) {@code event_time}. */
public final class SourceWatermarks {
    private SourceWatermarks() {}

    /** Typing: the event-time field exists in {@code type} with a type watermarks can read. */
    static void check(SourceSpec source, RowTypeInfo type, CompileContext ctx) {
        of(source, type, ctx);
    }

    /** The watermark strategy of {@code source}, whose rows have schema {@code type}. */
    public static WatermarkStrategy<Row> of(
            SourceSpec source, RowTypeInfo type, CompileContext ctx) {
        EventTimeSpec et = source.eventTime();
        if (et == null) {
            return WatermarkStrategy.noWatermarks();
        }
        String path =
                et.equals(ctx.spec().eventTime())
                        ? "event_time.field"
                        : "sources." + source.id() + ".event_time.field";
        EventTimeUnit unit =
                et.unit() == EventTimeSpec.TimeUnit.MILLISECONDS
                        ? EventTimeUnit.MILLIS
                        : EventTimeUnit.SECONDS;
        try {
            if (et.watermarks() == EventTimeSpec.Watermarks.PER_EVENT) {
                WatermarkStrategy<Row> s =
                        EventTimeWatermarks.forFieldPerEvent(
                                type, et.field(), unit, et.maxOutOfOrderness());
                return et.idleness() == null ? s : s.withIdleness(et.idleness());
            }
            return EventTimeWatermarks.forField(
                    type, et.field(), unit, et.maxOutOfOrderness(), et.idleness());
        } catch (IllegalArgumentException e) {
            throw ctx.error(path, "source '" + source.id() + "': " + e.getMessage());
        }
    }
}
