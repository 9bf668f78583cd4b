package io.ipdm.connectors.solana.rpc;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.rpc.enumerator.RpcEnumerator;
import io.ipdm.connectors.solana.rpc.enumerator.RpcEnumeratorState;
import io.ipdm.connectors.solana.rpc.enumerator.RpcEnumeratorStateSerializer;
import io.ipdm.connectors.solana.rpc.reader.RpcReader;
import io.ipdm.connectors.solana.rpc.split.RpcSplit;
import io.ipdm.connectors.solana.rpc.split.RpcSplitSerializer;
import java.util.List;
import java.util.Objects;
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
 * Live Solana source polling getSlot/getBlock over JSON-RPC. One split (the chain is one ordered
 * stream), read by one reader; other parallel readers finish at once. Bounded when the options have
 * an end slot.
 */
public final class RpcSource
        implements Source<Row, RpcSplit, RpcEnumeratorState>, ResultTypeQueryable<Row> {
    private static final long serialVersionUID = 1L;

    private final RpcOptions options;
    private final Projection projection;
    private final boolean verifySignatures;

    public RpcSource(RpcOptions options, SolanaTable table) {
        this(options, Projection.all(Objects.requireNonNull(table, "table")));
    }

    /** Emits only the projected columns; parts of a block they do not need are not decoded. */
    public RpcSource(RpcOptions options, Projection projection) {
        this(options, projection, false);
    }

    /**
     * With {@code verifySignatures}, every transaction's Ed25519 signatures are checked (needs
     * encoding base64 or base58) and a block with one that does not verify is corrupt.
     */
    public RpcSource(RpcOptions options, Projection projection, boolean verifySignatures) {
        this.options = Objects.requireNonNull(options, "options");
        this.projection = Objects.requireNonNull(projection, "projection");
        if (verifySignatures && !List.of("base64", "base58").contains(options.encoding())) {
            throw new IllegalArgumentException(
                    "Solana RPC source: verifying signatures needs encoding base64 or base58 (the"
                            + " signed message bytes), got "
                            + options.encoding());
        }
        this.verifySignatures = verifySignatures;
    }

    @Override
    public Boundedness getBoundedness() {
        return options.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<RpcSplit, RpcEnumeratorState> createEnumerator(
            SplitEnumeratorContext<RpcSplit> context) {
        RpcSplit split =
                new RpcSplit(
                        options.startSlot() == null ? RpcSplit.FROM_TIP : options.startSlot(),
                        options.endSlot() == null ? RpcSplit.UNBOUNDED : options.endSlot());
        return new RpcEnumerator(context, new RpcEnumeratorState(List.of(split)));
    }

    @Override
    public SplitEnumerator<RpcSplit, RpcEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<RpcSplit> context, RpcEnumeratorState state) {
        return new RpcEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<RpcSplit> getSplitSerializer() {
        return RpcSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<RpcEnumeratorState> getEnumeratorCheckpointSerializer() {
        return RpcEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public SourceReader<Row, RpcSplit> createReader(SourceReaderContext readerContext) {
        return new RpcReader(readerContext, options, projection, verifySignatures);
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        return projection.rowType();
    }
}
