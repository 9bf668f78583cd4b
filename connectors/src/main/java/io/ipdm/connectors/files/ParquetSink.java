package io.ipdm.connectors.files;

import java.io.IOException;
import java.util.Locale;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.types.Row;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * Parquet part files under one directory, written through Flink's FileSink with a bulk writer. A
 * bulk format rolls on every checkpoint: each checkpoint closes the open part files (writing their
 * footers) and commits them when it completes, so output is exactly-once. Needs checkpointing; a
 * bounded job commits its last files in the final checkpoint. Runs without Hadoop.
 */
public final class ParquetSink {
    private ParquetSink() {}

    /**
     * @param compression one of {@link ParquetCodecs#NAMES}
     * @throws IllegalArgumentException for a field type Parquet cannot hold, naming the field
     */
    public static FileSink<Row> create(String directory, RowTypeInfo type, String compression) {
        return FileSink.forBulkFormat(new Path(directory), writerFactory(type, compression))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("part")
                                .withPartSuffix(".parquet")
                                .build())
                .build();
    }

    /** The bulk writer of one part file (the FileSink opens one per bucket and checkpoint). */
    public static BulkWriter.Factory<Row> writerFactory(RowTypeInfo type, String compression) {
        ParquetSchema.of(type); // fail now, while the job is compiled, not in a task
        CompressionCodecName.valueOf(compression.toUpperCase(Locale.ROOT));
        return new ParquetWriterFactory<>(new RowParquetBuilder(type, compression));
    }

    /** Shipped to the tasks: the row type and codec name, from which each writer is built. */
    private record RowParquetBuilder(RowTypeInfo type, String compression)
            implements ParquetBuilder<Row> {
        @Override
        public ParquetWriter<Row> createWriter(OutputFile out) throws IOException {
            return new Builder(out, type)
                    .withConf(new PlainParquetConfiguration())
                    .withCodecFactory(new ParquetCodecs())
                    .withCompressionCodec(
                            CompressionCodecName.valueOf(compression.toUpperCase(Locale.ROOT)))
                    .build();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final RowTypeInfo type;

        Builder(OutputFile out, RowTypeInfo type) {
            super(out);
            this.type = type;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(type);
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport(type);
        }
    }
}
