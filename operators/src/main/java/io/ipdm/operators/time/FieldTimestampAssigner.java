package io.ipdm.operators.time;

import java.io.Serial;
import java.io.Serializable;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.types.Row;

/** Reads a row's event time from an integral field, converting its unit to epoch milliseconds. */
final class FieldTimestampAssigner implements SerializableTimestampAssigner<Row>, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final int position;
    private final String field;
    private final EventTimeUnit unit;

    FieldTimestampAssigner(int position, String field, EventTimeUnit unit) {
        this.position = position;
        this.field = field;
        this.unit = unit;
    }

    @Override
    public long extractTimestamp(Row row, long recordTimestamp) {
        Object v = row.getField(position);
        if (v == null) {
            // An event without a time cannot be placed in any window; failing loudly beats
            // guessing. Time is read where the source emits, so no later stage can filter it.
            throw new IllegalStateException(
                    "event-time field '"
                            + field
                            + "' is null in row "
                            + row
                            + ": event time is read as the source emits its rows, so a row"
                            + " without it cannot be filtered out later; for data that lacks it"
                            + " (Solana blocks from before block times were kept, such as Old"
                            + " Faithful epoch 0, have a null block_time) run a job without"
                            + " event_time and windows");
        }
        return unit.toMillis(((Number) v).longValue());
    }
}
