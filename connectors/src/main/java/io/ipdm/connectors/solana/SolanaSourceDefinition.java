package io.ipdm.connectors.solana;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * A ready-to-use Solana source: the Flink {@link Source}, the table it produces and its row type.
 * Records already carry event timestamps ({@code block_time * 1000} ms), so any watermark strategy
 * without an assigner works; {@link #watermarkStrategy} is the usual choice.
 */
public record SolanaSourceDefinition(Source<Row, ?, ?> source, SolanaTable table) {

    /** The rows' type: the table's, or the columns a projected source emits. */
    public RowTypeInfo rowType() {
        return source instanceof ResultTypeQueryable<?> q
                        && q.getProducedType() instanceof RowTypeInfo t
                ? t
                : table.rowType();
    }

    public boolean bounded() {
        return source.getBoundedness() == Boundedness.BOUNDED;
    }

    /** Timestamps from {@code block_time} (seconds) in milliseconds. */
    public SerializableTimestampAssigner<Row> timestampAssigner() {
        int at = rowType().getFieldIndex("block_time");
        // Without a block_time column (projected away), keep the timestamp the source set.
        return (row, previous) -> {
            Object t = at < 0 ? null : row.getField(at);
            return t == null ? (at < 0 ? previous : Long.MIN_VALUE) : (Long) t * 1000L;
        };
    }

    /** Bounded out-of-orderness watermarks over block time. */
    public WatermarkStrategy<Row> watermarkStrategy(Duration outOfOrderness) {
        return WatermarkStrategy.<Row>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(timestampAssigner());
    }
}
