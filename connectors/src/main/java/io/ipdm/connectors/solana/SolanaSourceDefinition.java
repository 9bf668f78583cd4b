package io.ipdm.connectors.solana;

import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SourceFilter;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * A ready-to-use Solana source: the Flink {@link Source}, the table it produces and the type of the
 * rows it emits (the table's, or the projected columns). Records already carry event timestamps
 * ({@code block_time * 1000} ms), so any watermark strategy without an assigner works; {@link
 * #watermarkStrategy} is the usual choice.
 *
 * <p>The row type is given by whoever builds the source rather than asked of it: a composed source
 * (a {@link org.apache.flink.connector.base.source.hybrid.HybridSource}) cannot tell its type, and
 * guessing the full table's layout for projected rows makes every later stage read the wrong
 * column.
 */
public record SolanaSourceDefinition(
        Source<Row, ?, ?> source, SolanaTable table, RowTypeInfo rowType, SourceFilter filter) {

    /**
     * @param filter the condition pushed down into the source (null: none): the source drops the
     *     transactions it rules out while decoding (see {@link SourceFilter})
     */
    public SolanaSourceDefinition {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(rowType, "rowType");
        RowTypeInfo full = table.rowType();
        for (String f : rowType.getFieldNames()) {
            int at = full.getFieldIndex(f);
            if (at < 0 || !full.getTypeAt(at).equals(rowType.getTypeAt(f))) {
                throw new IllegalArgumentException(
                        "row type " + rowType + " is not a projection of table " + table);
            }
        }
    }

    /** A source without a pushed-down filter. */
    public SolanaSourceDefinition(
            Source<Row, ?, ?> source, SolanaTable table, RowTypeInfo rowType) {
        this(source, table, rowType, null);
    }

    /** A source emitting the columns of {@code projection}, with its pushed-down filter. */
    public SolanaSourceDefinition(Source<Row, ?, ?> source, Projection projection) {
        this(source, projection.table(), projection.rowType(), projection.filter());
    }

    /** A source emitting every column of {@code table}. */
    public SolanaSourceDefinition(Source<Row, ?, ?> source, SolanaTable table) {
        this(source, table, table.rowType());
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
