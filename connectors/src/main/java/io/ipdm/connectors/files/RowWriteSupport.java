package io.ipdm.connectors.files;

import java.util.Map;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Flink rows to Parquet records, one message per row, in {@link ParquetSchema}'s shape. */
final class RowWriteSupport extends WriteSupport<Row> {
    private final MessageType schema;
    private final ParquetRowWriter fields;
    private RecordConsumer consumer;

    RowWriteSupport(RowTypeInfo type) {
        this.schema = ParquetSchema.of(type);
        this.fields = ParquetRowWriter.row(type);
    }

    @Override
    public WriteContext init(ParquetConfiguration conf) {
        return new WriteContext(schema, Map.of());
    }

    /**
     * Hadoop is not on IPDM's classpath; the writer is always built with a ParquetConfiguration.
     */
    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration conf) {
        throw new UnsupportedOperationException("the Parquet sink runs without Hadoop");
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Row row) {
        consumer.startMessage();
        fields.write(consumer, row);
        consumer.endMessage();
    }
}
