package io.ipdm.connectors.solana;

import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.ArchiveSource;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.replay.ReplaySource;
import io.ipdm.connectors.solana.rpc.RpcOptions;
import io.ipdm.connectors.solana.rpc.RpcSource;
import io.ipdm.connectors.solana.synthetic.SyntheticOptions;
import io.ipdm.connectors.solana.synthetic.SyntheticSource;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Entry points for callers that build jobs (the YAML compiler): each returns the source with its
 * row type. For more options use the builders ({@link ReplaySource#builder()}, ...).
 */
public final class SolanaSources {
    private SolanaSources() {}

    /** Replays files or directories of getBlock responses (bounded). */
    public static SolanaSourceDefinition replay(List<Path> paths, SolanaTable table) {
        return new SolanaSourceDefinition(
                ReplaySource.builder().paths(paths).table(table).build(), table);
    }

    /**
     * Replays files of getBlock responses emitting only the projected columns; what they do not
     * need is not decoded.
     */
    public static SolanaSourceDefinition replay(
            List<Path> paths, Projection projection, CorruptBlockPolicy policy) {
        return replay(paths, projection, policy, false);
    }

    /**
     * As {@link #replay(List, Projection, CorruptBlockPolicy)}, optionally verifying signatures.
     */
    public static SolanaSourceDefinition replay(
            List<Path> paths,
            Projection projection,
            CorruptBlockPolicy policy,
            boolean verifySignatures) {
        return new SolanaSourceDefinition(
                ReplaySource.builder()
                        .paths(paths)
                        .projection(projection)
                        .onCorruptBlock(policy)
                        .verifySignatures(verifySignatures)
                        .build(),
                projection);
    }

    /** A seeded synthetic chain; bounded when the options have an end slot. */
    public static SolanaSourceDefinition synthetic(SyntheticOptions options, SolanaTable table) {
        return new SolanaSourceDefinition(new SyntheticSource(options, table), table);
    }

    /**
     * A seeded synthetic chain that emits only {@code fields} of the table, in the table's order
     * (null: all); what is not emitted is not generated.
     */
    public static SolanaSourceDefinition synthetic(
            SyntheticOptions options, SolanaTable table, Collection<String> fields) {
        SyntheticSource source = new SyntheticSource(options, table, fields);
        return new SolanaSourceDefinition(source, table, source.getProducedType());
    }

    /**
     * Old Faithful archives (files, URLs or a root CID in a lake), range-parallel; then, when
     * {@code thenLive} is not null, live blocks from that endpoint after the archives' last slot.
     */
    public static SolanaSourceDefinition archive(
            ArchiveOptions options, SolanaTable table, RpcOptions thenLive) {
        ArchiveSource archive = new ArchiveSource(options, table);
        return new SolanaSourceDefinition(
                thenLive == null ? archive : ArchiveSource.thenLive(archive, thenLive), table);
    }

    /**
     * Old Faithful archives emitting only the projected columns (live rows too); what they do not
     * need is not decoded.
     */
    public static SolanaSourceDefinition archive(
            ArchiveOptions options, Projection projection, RpcOptions thenLive) {
        ArchiveSource archive = new ArchiveSource(options, projection);
        return new SolanaSourceDefinition(
                thenLive == null ? archive : ArchiveSource.thenLive(archive, thenLive), projection);
    }

    /** Polls a Solana JSON-RPC endpoint; bounded when the options have an end slot. */
    public static SolanaSourceDefinition rpc(RpcOptions options, SolanaTable table) {
        return new SolanaSourceDefinition(new RpcSource(options, table), table);
    }

    /** Polls a Solana JSON-RPC endpoint, emitting only the projected columns. */
    public static SolanaSourceDefinition rpc(RpcOptions options, Projection projection) {
        return rpc(options, projection, false);
    }

    /** As {@link #rpc(RpcOptions, Projection)}, optionally verifying every signature. */
    public static SolanaSourceDefinition rpc(
            RpcOptions options, Projection projection, boolean verifySignatures) {
        return new SolanaSourceDefinition(
                new RpcSource(options, projection, verifySignatures), projection);
    }
}
