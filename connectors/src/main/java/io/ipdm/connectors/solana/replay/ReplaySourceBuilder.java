package io.ipdm.connectors.solana.replay;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds a {@link ReplaySource}: at least one path, a table (default transactions). */
public final class ReplaySourceBuilder {
    private final List<String> paths = new ArrayList<>();
    private SolanaTable table = SolanaTable.TRANSACTIONS;
    private CorruptBlockPolicy policy = CorruptBlockPolicy.FAIL;
    private Projection projection;
    private boolean verifySignatures;

    ReplaySourceBuilder() {}

    /** Files of getBlock responses, or directories searched recursively for {@code *.json}. */
    public ReplaySourceBuilder paths(List<Path> files) {
        for (Path p : files) {
            paths.add(Objects.requireNonNull(p, "path").toAbsolutePath().toString());
        }
        return this;
    }

    public ReplaySourceBuilder path(Path file) {
        return paths(List.of(file));
    }

    public ReplaySourceBuilder table(SolanaTable table) {
        this.table = Objects.requireNonNull(table, "table");
        this.projection = null;
        return this;
    }

    /**
     * The table and the columns to emit (rows carry only those, in table order); parts of a block
     * no projected column needs are not decoded. Overrides {@link #table}.
     */
    public ReplaySourceBuilder projection(Projection projection) {
        this.projection = Objects.requireNonNull(projection, "projection");
        this.table = projection.table();
        return this;
    }

    /**
     * Checks every transaction's Ed25519 signatures over its message bytes (base64 and base58 files
     * only: a json-encoded transaction is then an error); off by default.
     */
    public ReplaySourceBuilder verifySignatures(boolean verify) {
        this.verifySignatures = verify;
        return this;
    }

    public ReplaySourceBuilder onCorruptBlock(CorruptBlockPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    public ReplaySource build() {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException(
                    "a Solana replay source needs at least one file or directory of getBlock"
                            + " responses");
        }
        return new ReplaySource(
                paths,
                projection == null ? Projection.all(table) : projection,
                policy,
                verifySignatures);
    }
}
