package io.ipdm.connectors.solana.archive;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.enumerator.ArchiveEnumerator;
import io.ipdm.connectors.solana.archive.enumerator.ArchiveEnumeratorState;
import io.ipdm.connectors.solana.archive.enumerator.ArchiveEnumeratorStateSerializer;
import io.ipdm.connectors.solana.archive.reader.ArchiveReader;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.archive.split.ArchiveSplitSerializer;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.rpc.RpcOptions;
import io.ipdm.connectors.solana.rpc.RpcSource;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.types.Row;

/**
 * Bounded source of the Solana rows in Old Faithful archives (files, HTTP(S) URLs, or a root CID in
 * a lake): range-parallel over slot-range splits ({@link ArchiveDiscovery}), each read in slot
 * order ({@link ArchiveReader}). {@link #thenLive} continues with a live {@link RpcSource} from the
 * slot after the archives' last one.
 */
public final class ArchiveSource
        implements Source<Row, ArchiveSplit, ArchiveEnumeratorState>, ResultTypeQueryable<Row> {
    private final ArchiveOptions options;
    private final Projection projection;

    public ArchiveSource(ArchiveOptions options, SolanaTable table) {
        this(options, Projection.all(table));
    }

    /** Emits only the projected columns; what none of them needs is not decoded. */
    public ArchiveSource(ArchiveOptions options, Projection projection) {
        this.options = options;
        this.projection = projection;
    }

    public ArchiveOptions options() {
        return options;
    }

    /**
     * The archives, then blocks polled from {@code live} starting at the slot after the archives'
     * last (so no slot is read twice and none is missed; skipped slots stay skipped). The switch is
     * part of Flink's checkpoints, so a restore resumes on the right side of it. An archive with no
     * blocks hands over at {@code live}'s own start slot. Live rows have the archive's columns
     * ({@link #getProducedType()}); a {@link HybridSource} does not report its type, so callers
     * take it from the archive.
     */
    public static HybridSource<Row> thenLive(ArchiveSource archive, RpcOptions live) {
        return HybridSource.<Row, ArchiveEnumerator>builder(archive)
                .addSource(
                        (HybridSource.SourceFactory<Row, RpcSource, ArchiveEnumerator>)
                                ctx -> {
                                    long last = ctx.getPreviousEnumerator().lastSlot();
                                    return new RpcSource(
                                            last < 0 ? live : startingAt(live, last + 1),
                                            archive.projection);
                                },
                        live.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED)
                .build();
    }

    private static RpcOptions startingAt(RpcOptions o, long slot) {
        return new RpcOptions(
                o.endpoint(),
                slot,
                o.endSlot(),
                o.commitment(),
                o.encoding(),
                o.pollInterval(),
                o.requestTimeout(),
                o.initialBackoff(),
                o.maxBackoff(),
                o.maxAttempts(),
                o.maxInFlight(),
                o.onCorruptBlock());
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<ArchiveSplit, ArchiveEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ArchiveSplit> ctx) {
        return new ArchiveEnumerator(ctx, options, ArchiveEnumeratorState.INITIAL);
    }

    @Override
    public SplitEnumerator<ArchiveSplit, ArchiveEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ArchiveSplit> ctx, ArchiveEnumeratorState checkpoint) {
        return new ArchiveEnumerator(ctx, options, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ArchiveSplit> getSplitSerializer() {
        return ArchiveSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ArchiveEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new ArchiveEnumeratorStateSerializer();
    }

    @Override
    public SourceReader<Row, ArchiveSplit> createReader(SourceReaderContext ctx) {
        return new ArchiveReader(ctx, projection, options);
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        return projection.rowType();
    }
}
