package io.ipdm.connectors.gossipsub.sink;

import io.ipdm.connectors.gossipsub.ArrowPayload;
import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.PayloadFormat;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Publishes rows to a gossipsub topic; every subtask runs its own signed mesh identity. JSON and
 * raw publish one message per row; Arrow publishes up to {@value GossipsubWriter#ARROW_BATCH_ROWS}
 * rows per message, and the rows buffered so far on every checkpoint and at end of input.
 */
public final class GossipsubSink implements Sink<Row> {
    private static final long serialVersionUID = 1L;

    private final GossipsubOptions options;
    private final RowTypeInfo input;

    public GossipsubSink(GossipsubOptions options, RowTypeInfo input) {
        this.options = options;
        this.input = input;
        if (options.format() == PayloadFormat.ARROW) {
            ArrowPayload.schema(input.getFieldNames(), input.getFieldTypes()); // fails early
        }
    }

    @Override
    public SinkWriter<Row> createWriter(WriterInitContext context) throws IOException {
        return new GossipsubWriter(options, input);
    }
}
