package io.ipdm.connectors.solana.testutils;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.types.Row;

/** Collects what a source reader emits, with timestamps. */
public final class CollectingOutput implements ReaderOutput<Row> {
    public final List<Row> rows = new ArrayList<>();
    public final List<Long> timestamps = new ArrayList<>();

    @Override
    public void collect(Row record) {
        collect(record, Long.MIN_VALUE);
    }

    @Override
    public void collect(Row record, long timestamp) {
        rows.add(record);
        timestamps.add(timestamp);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<Row> createOutputForSplit(String splitId) {
        return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {}
}
