package io.ipdm.connectors.solana.block;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * A source reader's rows under its projection's pushed-down {@link SourceFilter}, block by block,
 * with what the filter dropped counted; without a filter, {@link SolanaRows#rows(SolanaBlock,
 * Projection)}.
 *
 * <p>Two ways in: a decoder that can leave a dropped transaction's metadata undecoded asks {@link
 * #decoderFilter()} about each transaction as soon as its metadata-free parts are known and leaves
 * the dropped ones out of the block ({@link #rowsOfFiltered}); any other decoder's full block is
 * filtered here ({@link #rows}).
 *
 * <p><b>Watermarks.</b> A source's watermarks follow the timestamps of the rows it emits. So that a
 * block whose every transaction is dropped still moves event time on exactly as its rows did
 * without push-down, its first dropped row goes out instead (a <em>carrier</em>: the metadata-free
 * columns set, the others null). The filter stage after the source drops it, since the pushed
 * conjunct is false on it; {@link #dropped()} does not count it (the source's emitted rows do), so
 * rows emitted plus rows dropped is the number of rows the source read.
 *
 * <p>Not thread-safe: one per reader, used by its thread.
 */
public final class FilteredRows {
    /**
     * The reader metric counting {@link #dropped()} rows: read from the data but dropped by the
     * pushed-down filter in the source (the rows read are these plus the rows emitted).
     */
    public static final String METRIC = "rowsFilteredInSource";

    /** What a decoder asks about each transaction; see {@link FilteredRows}. */
    public interface TxFilter {
        /** A new block: its slot and block time, before its first transaction. */
        void block(long slot, Long blockTime);

        /**
         * Whether the transaction is kept. It may come without its metadata (fee, status, inner
         * instructions, token balances; account keys loaded from address tables undecoded), as the
         * filter reads none of it. A dropped transaction is left out of the decoded block.
         */
        boolean keep(SolanaTransaction tx);
    }

    private final Projection projection;
    private final SourceFilter filter;
    private final int arity;
    // the filter's columns and the carrier's: table positions and where they go in a projected row
    private final int[] testTable;
    private final int[] testAt;
    private final int[] carrierTable;
    private final int[] carrierAt;

    private Long slot;
    private Long blockTime;
    private int keptInBlock;
    private int droppedInBlock;
    private SolanaTransaction firstDropped;
    private int firstDroppedAt;
    private long dropped;
    private int lastTransactions;
    private int[] origins;

    public FilteredRows(Projection projection) {
        this.projection = projection;
        this.filter = projection.filter();
        int[] positions = projection.positions();
        this.arity = positions.length;
        List<String> names = projection.table() == null ? List.of() : projection.columns();
        List<Integer> tt = new ArrayList<>();
        List<Integer> ta = new ArrayList<>();
        List<Integer> ct = new ArrayList<>();
        List<Integer> ca = new ArrayList<>();
        for (int j = 0; j < positions.length && filter != null; j++) {
            String name = names.get(j);
            if (filter.columns().contains(name)) {
                tt.add(positions[j]);
                ta.add(j);
            }
            if (Projection.metadataFree(projection.table(), name)) {
                ct.add(positions[j]);
                ca.add(j);
            }
        }
        this.testTable = ints(tt);
        this.testAt = ints(ta);
        this.carrierTable = ints(ct);
        this.carrierAt = ints(ca);
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The filter a decoder applies per transaction; null when nothing was pushed down. */
    public TxFilter decoderFilter() {
        if (filter == null) {
            return null;
        }
        return new TxFilter() {
            @Override
            public void block(long s, Long time) {
                start(s, time);
            }

            @Override
            public boolean keep(SolanaTransaction tx) {
                return test(tx, tx.index());
            }
        };
    }

    /** Whether a filter was pushed down. */
    public boolean active() {
        return filter != null;
    }

    private void start(long s, Long time) {
        slot = s;
        blockTime = time;
        keptInBlock = 0;
        droppedInBlock = 0;
        firstDropped = null;
    }

    private boolean test(SolanaTransaction tx, int position) {
        Row row = Row.withPositions(arity);
        for (int i = 0; i < testTable.length; i++) {
            row.setField(
                    testAt[i], SolanaRows.transactionColumn(blockTime, slot, tx, testTable[i]));
        }
        if (filter.drops(row)) {
            if (droppedInBlock++ == 0) {
                firstDropped = tx;
                firstDroppedAt = position;
            }
            return false;
        }
        keptInBlock++;
        return true;
    }

    /**
     * The rows of a block decoded with {@link #decoderFilter()} (its transactions are the kept
     * ones): theirs, or the carrier of a block whose every transaction was dropped.
     */
    public List<Row> rowsOfFiltered(SolanaBlock block) {
        if (filter == null) {
            return rows(block);
        }
        List<SolanaTransaction> kept = block.transactions();
        if (slot == null || slot != block.slot() || kept == null) {
            return rows(block); // the decoder did not filter it (a single transaction's response)
        }
        List<Row> rows = SolanaRows.rows(block, projection);
        lastTransactions = kept.size() + droppedInBlock;
        origins = new int[kept.size()];
        for (int i = 0; i < origins.length; i++) {
            origins[i] = kept.get(i).index();
        }
        return finish(rows);
    }

    private List<Row> finish(List<Row> rows) {
        long d = droppedInBlock;
        if (rows.isEmpty() && firstDropped != null) {
            rows = List.of(carrier(firstDropped));
            d--;
            if (origins != null) {
                origins = new int[] {firstDroppedAt};
            }
        }
        dropped += d;
        slot = null;
        firstDropped = null;
        return rows;
    }

    private Row carrier(SolanaTransaction tx) {
        Row row = Row.withPositions(arity);
        for (int i = 0; i < carrierTable.length; i++) {
            row.setField(
                    carrierAt[i],
                    SolanaRows.transactionColumn(blockTime, slot, tx, carrierTable[i]));
        }
        return row;
    }

    /**
     * The rows of a fully decoded block, its transactions filtered here; {@link #origins()} then
     * tells each row's transaction position in the block.
     */
    public List<Row> rows(SolanaBlock block) {
        List<SolanaTransaction> txs = block.transactions();
        if (filter == null || txs == null) {
            List<Row> rows = SolanaRows.rows(block, projection);
            lastTransactions = txs == null ? 0 : txs.size();
            origins = null;
            return rows;
        }
        start(block.slot(), block.blockTime());
        List<SolanaTransaction> kept = new ArrayList<>(txs.size());
        int[] at = new int[txs.size()];
        for (int i = 0; i < txs.size(); i++) {
            if (test(txs.get(i), i)) {
                at[kept.size()] = i;
                kept.add(txs.get(i));
            }
        }
        SolanaBlock filtered =
                new SolanaBlock(
                        block.source(),
                        block.isBlock(),
                        block.slot(),
                        block.parentSlot(),
                        block.blockhash(),
                        block.previousBlockhash(),
                        block.blockTime(),
                        block.blockHeight(),
                        kept,
                        block.leader(),
                        block.leaderReward());
        origins = java.util.Arrays.copyOf(at, kept.size());
        lastTransactions = txs.size();
        return finish(SolanaRows.rows(filtered, projection));
    }

    /**
     * For the last {@link #rows} call with a filter: each row's transaction position in its block
     * (so a reader can count its position in unfiltered rows); null without a filter (a row's
     * position is its index).
     */
    public int[] origins() {
        return origins;
    }

    /** Rows dropped by the filter so far (carriers not counted: they were emitted). */
    public long dropped() {
        return dropped;
    }

    /** The transactions of the last block, kept and dropped. */
    public int lastTransactions() {
        return lastTransactions;
    }
}
