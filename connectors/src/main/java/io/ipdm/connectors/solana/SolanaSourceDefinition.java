package io.ipdm.connectors.solana;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * A ready-to-use Solana source: the Flink {@link Source}, the table it produces and its row type.
 * Records already carry event timestamps ({@code block_time * 1000} ms), so any watermark strategy
 * without an assigner works; {@link #watermarkStrategy} is the usual choice.
 */
public record SolanaSourceDefinition(Source<Row, ?, ?> source, SolanaTable table) {

    public RowTypeInfo rowType() {
        return table.rowType();
    }

    public boolean bounded() {
        return source.getBoundedness() == Boundedness.BOUNDED;
    }

    /** Timestamps from {@code block_time} (seconds) in milliseconds. */
    public SerializableTimestampAssigner<Row> timestampAssigner() {
        SolanaTable t = table;
        return (row, previous) -> t.eventTimeMillis(row);
    }

    /** Bounded out-of-orderness watermarks over block time. */
    public WatermarkStrategy<Row> watermarkStrategy(Duration outOfOrderness) {
        return WatermarkStrategy.<Row>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(timestampAssigner());
    }
}
