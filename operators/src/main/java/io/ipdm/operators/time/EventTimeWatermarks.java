package io.ipdm.operators.time;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Watermark strategies for rows whose event time is an integral field ({@code block_time} in unix
 * seconds, say): bounded out-of-orderness, and optionally idleness so that a quiet source split
 * does not hold back the watermark of the whole job.
 */
public final class EventTimeWatermarks {
    private EventTimeWatermarks() {}

    /**
     * @param timeField a Long, Integer or Short field holding the event time
     * @param unit the field's unit
     * @param maxOutOfOrderness how far behind the largest timestamp seen an event may arrive and
     *     still be on time (zero for in-order input)
     * @param idleness after how long without events a split stops holding back the watermark, or
     *     null for never
     * @throws IllegalArgumentException for an unknown or non-integral field or a negative duration
     */
    public static WatermarkStrategy<Row> forField(
            RowTypeInfo schema,
            String timeField,
            EventTimeUnit unit,
            Duration maxOutOfOrderness,
            Duration idleness) {
        int pos = timeFieldPosition(schema, timeField);
        if (unit == null) {
            throw new IllegalArgumentException("event time field '" + timeField + "' needs a unit");
        }
        if (maxOutOfOrderness == null || maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException(
                    "max out-of-orderness must be zero or positive, got " + maxOutOfOrderness);
        }
        WatermarkStrategy<Row> s =
                WatermarkStrategy.<Row>forBoundedOutOfOrderness(maxOutOfOrderness)
                        .withTimestampAssigner(new FieldTimestampAssigner(pos, timeField, unit));
        if (idleness != null) {
            if (idleness.isNegative() || idleness.isZero()) {
                throw new IllegalArgumentException("idleness must be positive, got " + idleness);
            }
            s = s.withIdleness(idleness);
        }
        return s;
    }

    /**
     * Like {@link #forField} without idleness, but the watermark advances after every event rather
     * than every 200 ms: which events are late depends only on input order. For replays of recorded
     * data and for tests.
     */
    public static WatermarkStrategy<Row> forFieldPerEvent(
            RowTypeInfo schema, String timeField, EventTimeUnit unit, Duration maxOutOfOrderness) {
        int pos = timeFieldPosition(schema, timeField);
        if (unit == null) {
            throw new IllegalArgumentException("event time field '" + timeField + "' needs a unit");
        }
        if (maxOutOfOrderness == null || maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException(
                    "max out-of-orderness must be zero or positive, got " + maxOutOfOrderness);
        }
        long bound = maxOutOfOrderness.toMillis();
        return WatermarkStrategy.<Row>forGenerator(ctx -> new PerEventBoundedWatermarks(bound))
                .withTimestampAssigner(new FieldTimestampAssigner(pos, timeField, unit));
    }

    /**
     * The position of a usable event-time field.
     *
     * @throws IllegalArgumentException naming the known fields, or the field's wrong type
     */
    public static int timeFieldPosition(RowTypeInfo schema, String timeField) {
        int pos = schema.getFieldIndex(timeField);
        if (pos < 0) {
            throw new IllegalArgumentException(
                    "unknown event time field '"
                            + timeField
                            + "'; known fields: "
                            + String.join(", ", schema.getFieldNames()));
        }
        TypeInformation<?> t = schema.getTypeAt(pos);
        if (!t.equals(Types.LONG) && !t.equals(Types.INT) && !t.equals(Types.SHORT)) {
            throw new IllegalArgumentException(
                    "event time field '"
                            + timeField
                            + "' must be an integer (Long), but it is "
                            + t);
        }
        return pos;
    }
}
