package io.ipdm.connectors.solana.block;

import io.ipdm.connectors.solana.SolanaTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * What a job reads of a Solana source: one {@link SolanaTable} and the columns of it that later
 * stages read. A decoder asks it which parts of a block it must decode ({@link #transactions},
 * {@link #innerInstructions}, {@link #tokenBalances}, {@link #rewards}); log messages are never
 * read (no column holds them). {@link SolanaRows#rows(SolanaBlock, Projection)} emits the projected
 * columns, in the table's order.
 *
 * <p>The contract, tested on every real block: the rows of a projected decode equal the rows of a
 * full decode restricted to the projected columns. A part is skipped only when no projected column
 * and no row count depends on it. {@code block_time} is always kept: readers stamp event time from
 * it.
 *
 * <p>Immutable and serializable (sources carry it to their readers).
 */
public final class Projection implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SolanaTable table;
    private final boolean[] read;
    private final int[] positions;
    private final boolean all;
    private final int blockTimeAt;
    private final SourceFilter filter;

    /**
     * The {@code transactions} columns computed without the transaction's metadata (from the block,
     * the message and its signatures): what a pushed-down {@link SourceFilter} may read. {@code
     * num_accounts} counts keys loaded from address tables, whose number the message tells.
     */
    private static final Set<String> METADATA_FREE_TRANSACTION_COLUMNS =
            Set.of(
                    "slot",
                    "block_time",
                    "index",
                    "signature",
                    "fee_payer",
                    "program_ids",
                    "is_vote",
                    "num_signatures",
                    "version",
                    "num_instructions",
                    "num_accounts",
                    "recent_blockhash");

    /** Every part of a block, for callers that want the whole block rather than one table. */
    public static final Projection EVERYTHING = new Projection(null, new boolean[0]);

    private Projection(SolanaTable table, boolean[] read) {
        this(table, read, null);
    }

    private Projection(SolanaTable table, boolean[] read, SourceFilter filter) {
        this.table = table;
        this.read = read;
        this.filter = filter;
        int n = 0;
        for (boolean r : read) {
            n += r ? 1 : 0;
        }
        this.positions = new int[n];
        int j = 0;
        for (int i = 0; i < read.length; i++) {
            if (read[i]) {
                positions[j++] = i;
            }
        }
        this.all = n == read.length;
        int at = -1;
        for (int i = 0; i < positions.length; i++) {
            if (table != null && positions[i] == table.blockTimeIndex()) {
                at = i;
            }
        }
        this.blockTimeAt = at;
    }

    /** Every column of {@code table}: what a job gets when what it reads is not known. */
    public static Projection all(SolanaTable table) {
        boolean[] read = new boolean[table.arity()];
        Arrays.fill(read, true);
        return new Projection(table, read);
    }

    /**
     * The columns of {@code table} named in {@code columns} (null: all), plus {@code block_time}.
     * Unknown names are an error listing the table's columns.
     */
    public static Projection of(SolanaTable table, Collection<String> columns) {
        Objects.requireNonNull(table, "table");
        if (columns == null) {
            return all(table);
        }
        boolean[] read = new boolean[table.arity()];
        for (String c : columns) {
            read[table.indexOf(c)] = true;
        }
        read[table.blockTimeIndex()] = true;
        return new Projection(table, read);
    }

    /**
     * Like {@link #of} for a column set from projection push-down, which may name fields of other
     * streams: names the table lacks are ignored.
     */
    public static Projection ofNeeded(SolanaTable table, Set<String> needed) {
        if (needed == null) {
            return all(table);
        }
        List<String> keep = new ArrayList<>();
        for (String f : table.fieldNames()) {
            if (needed.contains(f)) {
                keep.add(f);
            }
        }
        return of(table, keep);
    }

    /**
     * Whether {@code column} of {@code table} is computed without the transaction's metadata, so a
     * {@link SourceFilter} may read it. Push-down is into {@code transactions} sources only (one
     * row per transaction): false for every column of the other tables.
     */
    public static boolean metadataFree(SolanaTable table, String column) {
        return table == SolanaTable.TRANSACTIONS
                && METADATA_FREE_TRANSACTION_COLUMNS.contains(column);
    }

    /**
     * The {@code transactions} columns computed without the transaction's metadata, in no order:
     * the columns a {@link SourceFilter} may read, and those a reader that never inflates metadata
     * can give.
     */
    public static Set<String> metadataFreeTransactionColumns() {
        return METADATA_FREE_TRANSACTION_COLUMNS;
    }

    /**
     * This projection with {@code filter} pushed down into the source (null: none).
     *
     * @throws IllegalArgumentException when the table is not {@code transactions} or the filter
     *     reads a column that is not projected or needs the metadata
     */
    public Projection withFilter(SourceFilter filter) {
        if (filter != null) {
            if (table != SolanaTable.TRANSACTIONS) {
                throw new IllegalArgumentException(
                        "cannot push "
                                + filter
                                + " into a source of "
                                + this
                                + ": only into one of"
                                + " transactions");
            }
            for (String c : filter.columns()) {
                if (!metadataFree(table, c) || !reads(c)) {
                    throw new IllegalArgumentException(
                            "cannot push "
                                    + filter
                                    + " into a source of "
                                    + this
                                    + ": it reads "
                                    + c
                                    + (metadataFree(table, c)
                                            ? ", which is not projected"
                                            : ", which is not a metadata-free column of"
                                                    + " transactions"));
                }
            }
        }
        return new Projection(table, read, filter);
    }

    /** The filter pushed down into the source, or null. */
    public SourceFilter filter() {
        return filter;
    }

    /** The table; null for {@link #EVERYTHING}. */
    public SolanaTable table() {
        return table;
    }

    public boolean isAll() {
        return all;
    }

    public boolean reads(String column) {
        return read[table.indexOf(column)];
    }

    /** The projected column names in table order. */
    public List<String> columns() {
        List<String> out = new ArrayList<>(positions.length);
        for (int p : positions) {
            out.add(table.fieldNames().get(p));
        }
        return out;
    }

    /** Positions of the projected columns in the table's full row, ascending. */
    int[] positions() {
        return positions;
    }

    /**
     * Whether the block's transactions must be decoded at all: always for the transaction-level
     * tables (their row count is the transactions'); for {@code blocks} only when a per-block
     * transaction aggregate is read.
     */
    public boolean transactions() {
        if (table != SolanaTable.BLOCKS) { // EVERYTHING included
            return true;
        }
        for (String c :
                List.of(
                        "tx_count",
                        "vote_tx_count",
                        "failed_tx_count",
                        "signature_count",
                        "total_fee",
                        "total_compute_units")) {
            if (reads(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether meta.innerInstructions must be decoded: every instructions row set depends on them;
     * transactions only through {@code inner_program_ids} and {@code num_inner_instructions}.
     */
    public boolean innerInstructions() {
        if (table == null) {
            return true;
        }
        return switch (table) {
            case INSTRUCTIONS -> true;
            case TRANSACTIONS -> reads("inner_program_ids") || reads("num_inner_instructions");
            default -> false;
        };
    }

    /**
     * Whether inner instructions' accounts, data and stack heights must be decoded (only
     * instructions rows hold them; transactions rows read the program ids and counts).
     */
    public boolean innerInstructionDetail() {
        return table == null || table == SolanaTable.INSTRUCTIONS;
    }

    /** Whether meta.preTokenBalances/postTokenBalances must be decoded. */
    public boolean tokenBalances() {
        return table == null || table == SolanaTable.TOKEN_BALANCE_CHANGES;
    }

    /** Whether the block's rewards must be decoded (leader and its fee reward). */
    public boolean rewards() {
        return table == null
                || table == SolanaTable.BLOCKS && (reads("leader") || reads("leader_reward"));
    }

    /** Whether meta.logMessages must be decoded: no column holds them, so never. */
    public boolean logMessages() {
        return false;
    }

    /** The type of the rows {@link SolanaRows#rows(SolanaBlock, Projection)} emits. */
    public RowTypeInfo rowType() {
        RowTypeInfo full = table.rowType();
        if (all) {
            return full;
        }
        return new RowTypeInfo(
                Arrays.stream(positions)
                        .mapToObj(full::getTypeAt)
                        .toArray(TypeInformation<?>[]::new),
                columns().toArray(new String[0]));
    }

    /**
     * Event time of a projected row in epoch milliseconds, or {@link Long#MIN_VALUE} when the block
     * time is unknown.
     */
    public long eventTimeMillis(Row row) {
        Object t = row.getField(blockTimeAt);
        return t == null ? Long.MIN_VALUE : (Long) t * 1000L;
    }

    /** A full-width row cut down to the projected columns (the same row when all are read). */
    Row project(Row full) {
        return all ? full : Row.project(full, positions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Projection p
                && p.table == table
                && Arrays.equals(p.read, read)
                && Objects.equals(p.filter, filter);
    }

    @Override
    public int hashCode() {
        return (table.hashCode() * 31 + Arrays.hashCode(read)) * 31 + Objects.hashCode(filter);
    }

    @Override
    public String toString() {
        if (table == null) {
            return "everything";
        }
        String cols = all ? table.tableName() + "[all]" : table.tableName() + columns();
        return filter == null ? cols : cols + " where " + filter;
    }
}
