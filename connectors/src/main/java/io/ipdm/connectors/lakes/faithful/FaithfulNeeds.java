package io.ipdm.connectors.lakes.faithful;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import java.io.Serializable;
import java.util.Set;

/**
 * What of an Old Faithful block a job reads, so the decoder leaves the rest undecoded: transaction
 * metadata is inflated only when a metadata-derived column is read ({@link #meta}), and within it
 * only the inner instructions and token balances asked for; the rewards node only for the leader
 * columns. Columns that are not read hold null or placeholder values.
 *
 * @param transactions the block's transactions at all (the blocks table reads them only for its
 *     per-block aggregates)
 * @param meta fee, success, error, compute units (and everything below needs it too)
 * @param metaFields {@link TransactionMeta#INNER} and/or {@link TransactionMeta#TOKENS}
 * @param loadedKeys the values of account keys loaded from address tables (instruction accounts,
 *     token accounts); their count is known without metadata
 * @param rewards the leader and its reward (the Rewards node)
 * @param signature the transaction's signature as base58 text (null when not read)
 * @param recentBlockhash the recent blockhash as base58 text (null when not read)
 * @param statusOnly of the metadata only the status is read ({@code success}, {@code
 *     failed_tx_count}): a frame is read only as far as its first byte ({@link
 *     TransactionMeta#status}), unless that byte cannot tell; the error is then a placeholder
 *     ({@link FaithfulBlockDecoder#ERROR_NOT_READ}), fee and compute units null
 */
public record FaithfulNeeds(
        boolean transactions,
        boolean meta,
        int metaFields,
        boolean loadedKeys,
        boolean rewards,
        boolean signature,
        boolean recentBlockhash,
        boolean statusOnly)
        implements Serializable {
    /** Everything: what a job reading every column of every table needs. */
    public static final FaithfulNeeds ALL =
            new FaithfulNeeds(
                    true,
                    true,
                    TransactionMeta.INNER | TransactionMeta.TOKENS,
                    true,
                    true,
                    true,
                    true,
                    false);

    /** What the rows of a projection need (everything for {@link Projection#EVERYTHING}). */
    public static FaithfulNeeds of(Projection projection) {
        if (projection.table() == null) {
            return ALL;
        }
        return of(projection.table(), projection.isAll() ? null : Set.copyOf(projection.columns()));
    }

    /**
     * What rows of {@code table} need when only {@code columns} of it are read ({@code null}: all
     * columns).
     */
    public static FaithfulNeeds of(SolanaTable table, Set<String> columns) {
        boolean signature = table != SolanaTable.BLOCKS && any(columns, "signature");
        return switch (table) {
            case BLOCKS -> {
                boolean sums = any(columns, "total_fee", "total_compute_units");
                boolean meta = sums || any(columns, "failed_tx_count");
                boolean txs = meta || any(columns, "tx_count", "vote_tx_count", "signature_count");
                yield new FaithfulNeeds(
                        txs,
                        meta,
                        0,
                        false,
                        any(columns, "leader", "leader_reward"),
                        false,
                        false,
                        meta && !sums);
            }
            case TRANSACTIONS -> {
                boolean inner = any(columns, "inner_program_ids", "num_inner_instructions");
                boolean more = inner || any(columns, "fee", "error", "compute_units");
                boolean meta = more || any(columns, "success");
                yield new FaithfulNeeds(
                        true,
                        meta,
                        inner ? TransactionMeta.INNER : 0,
                        false,
                        false,
                        signature,
                        any(columns, "recent_blockhash"),
                        meta && !more);
            }
            // inner instructions are rows of their own, so every instruction row needs them
            case INSTRUCTIONS ->
                    new FaithfulNeeds(
                            true,
                            true,
                            TransactionMeta.INNER,
                            any(columns, "accounts"),
                            false,
                            signature,
                            false,
                            false);
            case TOKEN_BALANCE_CHANGES ->
                    new FaithfulNeeds(
                            true,
                            true,
                            TransactionMeta.TOKENS,
                            true,
                            false,
                            signature,
                            false,
                            false);
        };
    }

    private static boolean any(Set<String> columns, String... names) {
        if (columns == null) {
            return true;
        }
        for (String n : names) {
            if (columns.contains(n)) {
                return true;
            }
        }
        return false;
    }
}
