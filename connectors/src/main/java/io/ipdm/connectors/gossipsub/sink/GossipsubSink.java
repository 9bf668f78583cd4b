package io.ipdm.connectors.gossipsub.sink;

import io.ipdm.connectors.gossipsub.GossipsubOptions;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/** Publishes rows to a gossipsub topic; every subtask runs its own signed mesh identity. */
public final class GossipsubSink implements Sink<Row> {
    private static final long serialVersionUID = 1L;

    private final GossipsubOptions options;
    private final String[] names;

    public GossipsubSink(GossipsubOptions options, RowTypeInfo input) {
        this.options = options;
        this.names = input.getFieldNames();
    }

    @Override
    public SinkWriter<Row> createWriter(WriterInitContext context) throws IOException {
        return new GossipsubWriter(options, names);
    }
}
