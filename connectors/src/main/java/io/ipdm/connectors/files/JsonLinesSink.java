package io.ipdm.connectors.files;

import java.util.List;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.types.Row;

/**
 * JSON Lines part files under one directory, written through Flink's FileSink: files roll on every
 * checkpoint and become visible only when it completes, so output is exactly-once. Needs
 * checkpointing; a bounded job commits its last files in the final checkpoint.
 */
public final class JsonLinesSink {
    private JsonLinesSink() {}

    public static FileSink<Row> create(String directory, List<String> fieldNames) {
        return FileSink.forRowFormat(new Path(directory), new JsonLinesEncoder(fieldNames))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("part")
                                .withPartSuffix(".jsonl")
                                .build())
                .build();
    }
}
