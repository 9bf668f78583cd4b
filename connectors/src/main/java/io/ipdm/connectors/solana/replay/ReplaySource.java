package io.ipdm.connectors.solana.replay;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.replay.enumerator.ReplayEnumerator;
import io.ipdm.connectors.solana.replay.enumerator.ReplayEnumeratorState;
import io.ipdm.connectors.solana.replay.enumerator.ReplayEnumeratorStateSerializer;
import io.ipdm.connectors.solana.replay.enumerator.ReplayFileDiscovery;
import io.ipdm.connectors.solana.replay.reader.ReplayReader;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import io.ipdm.connectors.solana.replay.split.ReplaySplitSerializer;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.types.Row;

/**
 * Bounded source replaying files of getBlock responses (one split per file, assigned in block time
 * order, then slot order) as rows of one {@link SolanaTable}. Build with {@link
 * ReplaySourceBuilder}. Files are listed when the job starts (on the coordinator), not when the
 * source is built.
 */
public final class ReplaySource
        implements Source<Row, ReplaySplit, ReplayEnumeratorState>, ResultTypeQueryable<Row> {
    private static final long serialVersionUID = 1L;

    private final List<String> paths;
    private final Projection projection;
    private final CorruptBlockPolicy policy;
    private final boolean verifySignatures;

    ReplaySource(
            List<String> paths,
            Projection projection,
            CorruptBlockPolicy policy,
            boolean verifySignatures) {
        this.verifySignatures = verifySignatures;
        this.paths = List.copyOf(paths);
        this.projection = projection;
        this.policy = policy;
    }

    public static ReplaySourceBuilder builder() {
        return new ReplaySourceBuilder();
    }

    public SolanaTable table() {
        return projection.table();
    }

    public Projection projection() {
        return projection;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<ReplaySplit, ReplayEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ReplaySplit> context) {
        return new ReplayEnumerator(context, ReplayFileDiscovery.discover(paths));
    }

    @Override
    public SplitEnumerator<ReplaySplit, ReplayEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ReplaySplit> context, ReplayEnumeratorState state) {
        return new ReplayEnumerator(context, state.pending());
    }

    @Override
    public SimpleVersionedSerializer<ReplaySplit> getSplitSerializer() {
        return ReplaySplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ReplayEnumeratorState> getEnumeratorCheckpointSerializer() {
        return ReplayEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public SourceReader<Row, ReplaySplit> createReader(SourceReaderContext readerContext) {
        return new ReplayReader(readerContext, projection, policy, verifySignatures);
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        return projection.rowType();
    }
}
