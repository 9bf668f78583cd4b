package io.ipdm.connectors.gossipsub;

import io.ipdm.connectors.gossipsub.enumerator.EnumeratorStateSerializer;
import io.ipdm.connectors.gossipsub.enumerator.GossipsubEnumerator;
import io.ipdm.connectors.gossipsub.reader.GossipsubReader;
import io.ipdm.connectors.gossipsub.split.GossipsubSplit;
import io.ipdm.connectors.gossipsub.split.GossipsubSplitSerializer;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.types.Row;

/**
 * An unbounded source of the messages on one gossipsub topic (see docs/mesh.md for the delivery
 * guarantees: at most once per message id within the de-dup window, no replay of messages published
 * while the job is down).
 */
public final class GossipsubSource
        implements Source<Row, GossipsubSplit, List<GossipsubSplit>>, ResultTypeQueryable<Row> {
    private static final long serialVersionUID = 1L;

    private final GossipsubOptions options;
    private final RowCodec codec;

    /** {@code payload} declares the JSON payload fields (null for the raw format). */
    public GossipsubSource(GossipsubOptions options, RowTypeInfo payload) {
        this.options = options;
        this.codec = new RowCodec(options.format(), payload);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<GossipsubSplit, List<GossipsubSplit>> createEnumerator(
            SplitEnumeratorContext<GossipsubSplit> context) {
        return new GossipsubEnumerator(
                context, List.of(new GossipsubSplit(options.topic(), List.of())));
    }

    @Override
    public SplitEnumerator<GossipsubSplit, List<GossipsubSplit>> restoreEnumerator(
            SplitEnumeratorContext<GossipsubSplit> context, List<GossipsubSplit> state) {
        return new GossipsubEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<GossipsubSplit> getSplitSerializer() {
        return GossipsubSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<GossipsubSplit>> getEnumeratorCheckpointSerializer() {
        return EnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public SourceReader<Row, GossipsubSplit> createReader(SourceReaderContext readerContext) {
        return new GossipsubReader(readerContext, options, codec);
    }

    public RowTypeInfo rowType() {
        return codec.sourceType();
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        return codec.sourceType();
    }
}
