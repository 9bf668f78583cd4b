package io.ipdm.connectors.solana.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.testutils.RowTypes;
import io.ipdm.multiformats.Base58;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class SlotGeneratorTest {
    static final SyntheticOptions OPTIONS =
            SyntheticOptions.builder()
                    .seed(7)
                    .startSlot(1000)
                    .endSlot(1200)
                    .transactionsPerSlot(500)
                    .build();
    static final SolanaTable T = SolanaTable.TRANSACTIONS;

    static List<Row> rows(SyntheticOptions o, SolanaTable table, long from, long to) {
        SlotGenerator g = new SlotGenerator(o);
        List<Row> out = new ArrayList<>();
        for (long s = from; s < to; s++) {
            g.generate(s, table, (row, ts) -> out.add(row));
        }
        return out;
    }

    @Test
    void sameSeedSameRowsDifferentSeedDifferentRows() {
        List<Row> a = rows(OPTIONS, T, 1000, 1020);
        List<Row> b = rows(OPTIONS, T, 1000, 1020);
        assertThat(b).isEqualTo(a);
        // A slot's rows do not depend on what was generated before it.
        List<Row> tail = rows(OPTIONS, T, 1010, 1020);
        assertThat(tail).isEqualTo(a.subList(a.size() - tail.size(), a.size()));

        List<Row> other =
                rows(
                        SyntheticOptions.builder().seed(8).transactionsPerSlot(500).build(),
                        T,
                        1000,
                        1020);
        assertThat(other.get(0).getField(3)).isNotEqualTo(a.get(0).getField(3));
    }

    @Test
    void aProjectionKeepsTheSameValuesOfItsColumns() {
        for (SolanaTable table : SolanaTable.values()) {
            int[] columns = {table.indexOf("block_time"), table.arity() - 1};
            SlotGenerator g = new SlotGenerator(OPTIONS, table, columns);
            List<Row> projected = new ArrayList<>();
            for (long s = 1000; s < 1010; s++) {
                g.generate(s, table, (row, ts) -> projected.add(row));
            }
            List<Row> expected = new ArrayList<>();
            for (Row r : rows(OPTIONS, table, 1000, 1010)) {
                expected.add(Row.of(r.getField(columns[0]), r.getField(columns[1])));
            }
            assertThat(projected).as(table.tableName()).isNotEmpty().isEqualTo(expected);
        }
    }

    @Test
    void transactionsHaveMainnetShape() {
        List<Row> txs = rows(OPTIONS, T, 1000, 1200);
        int votes = 0;
        int nonVote = 0;
        int failed = 0;
        Set<String> signatures = new HashSet<>();
        Map<String, Integer> payers = new HashMap<>();
        Set<String> programs = new HashSet<>();
        for (Row r : txs) {
            RowTypes.assertConforms(T, r);
            boolean vote = (Boolean) r.getField(T.indexOf("is_vote"));
            long slot = (Long) r.getField(0);
            assertThat(r.getField(1)).isEqualTo(SlotGenerator.GENESIS_UNIX_SECONDS + slot * 2 / 5);
            assertThat(signatures.add((String) r.getField(3))).isTrue();
            long fee = (Long) r.getField(T.indexOf("fee"));
            int sigs = (Integer) r.getField(T.indexOf("num_signatures"));
            assertThat(fee).isGreaterThanOrEqualTo(5000L * sigs);
            assertThat((Boolean) r.getField(6)).isEqualTo(r.getField(7) == null);
            for (String p : (String[]) r.getField(T.indexOf("program_ids"))) {
                programs.add(p);
            }
            if (vote) {
                votes++;
                assertThat((String[]) r.getField(9)).containsExactly(ChainModel.VOTE);
            } else {
                nonVote++;
                failed += Boolean.FALSE.equals(r.getField(6)) ? 1 : 0;
                payers.merge((String) r.getField(4), 1, Integer::sum);
            }
        }
        double skipped = 1 - txs.stream().map(r -> r.getField(0)).distinct().count() / 200.0;
        assertThat(skipped).isCloseTo(0.05, within(0.05));
        assertThat(votes / (double) txs.size()).isCloseTo(0.75, within(0.01));
        assertThat(failed / (double) nonVote).isCloseTo(0.07, within(0.01));
        assertThat(programs)
                .contains(
                        ChainModel.JUPITER,
                        ChainModel.RAYDIUM_AMM,
                        ChainModel.PUMP,
                        ChainModel.TOKEN,
                        ChainModel.SYSTEM,
                        ChainModel.COMPUTE_BUDGET);
        // Zipf: the most active fee payer sends far more than the uniform share.
        int top = payers.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(top).isGreaterThan(50 * nonVote / 50_000);
        // Generated text is valid base58 of the right sizes.
        Row first = txs.get(0);
        assertThat(Base58.decode((String) first.getField(3))).hasSize(64);
        assertThat(Base58.decode((String) first.getField(4))).hasSize(32);
        assertThat(Base58.decode((String) first.getField(17))).hasSize(32);
    }

    @Test
    void blockRowsAgreeWithTransactionRows() {
        List<Row> blocks = rows(OPTIONS, SolanaTable.BLOCKS, 1000, 1050);
        List<Row> txs = rows(OPTIONS, T, 1000, 1050);
        SolanaTable b = SolanaTable.BLOCKS;
        for (Row block : blocks) {
            RowTypes.assertConforms(b, block);
            long slot = (Long) block.getField(0);
            List<Row> mine = txs.stream().filter(r -> r.getField(0).equals(slot)).toList();
            assertThat(block.getField(b.indexOf("tx_count"))).isEqualTo(mine.size());
            assertThat(block.getField(b.indexOf("vote_tx_count")))
                    .isEqualTo((int) mine.stream().filter(r -> (Boolean) r.getField(11)).count());
            assertThat(block.getField(b.indexOf("failed_tx_count")))
                    .isEqualTo((int) mine.stream().filter(r -> !(Boolean) r.getField(6)).count());
            assertThat(block.getField(b.indexOf("total_fee")))
                    .isEqualTo(mine.stream().mapToLong(r -> (Long) r.getField(5)).sum());
            assertThat((Long) block.getField(1)).isLessThan(slot);
        }
        // previous_blockhash of a block is the blockhash of its parent.
        Map<Long, String> hashes = new HashMap<>();
        blocks.forEach(r -> hashes.put((Long) r.getField(0), (String) r.getField(2)));
        for (Row r : blocks) {
            String parentHash = hashes.get((Long) r.getField(1));
            if (parentHash != null) {
                assertThat(r.getField(3)).isEqualTo(parentHash);
            }
        }
    }

    @Test
    void instructionAndTokenRowsDescribeTheSameTransactions() {
        List<Row> txs = rows(OPTIONS, T, 1000, 1010);
        List<Row> ixs = rows(OPTIONS, SolanaTable.INSTRUCTIONS, 1000, 1010);
        List<Row> tokens = rows(OPTIONS, SolanaTable.TOKEN_BALANCE_CHANGES, 1000, 1010);
        Map<String, Row> bySig = new HashMap<>();
        txs.forEach(r -> bySig.put((String) r.getField(3), r));
        SolanaTable i = SolanaTable.INSTRUCTIONS;
        Map<String, Integer> topLevel = new HashMap<>();
        for (Row ix : ixs) {
            RowTypes.assertConforms(i, ix);
            Row tx = bySig.get((String) ix.getField(3));
            assertThat(tx).isNotNull();
            if (ix.getField(i.indexOf("inner_index")) == null) {
                topLevel.merge((String) ix.getField(3), 1, Integer::sum);
                assertThat((String[]) tx.getField(9))
                        .contains((String) ix.getField(i.indexOf("program_id")));
            } else {
                assertThat((String[]) tx.getField(10))
                        .contains((String) ix.getField(i.indexOf("program_id")));
            }
        }
        for (Row tx : txs) {
            assertThat(topLevel.get((String) tx.getField(3))).isEqualTo(tx.getField(14));
        }
        assertThat(tokens).isNotEmpty();
        long net = 0;
        for (Row t : tokens) {
            RowTypes.assertConforms(SolanaTable.TOKEN_BALANCE_CHANGES, t);
            assertThat(bySig.get((String) t.getField(3)).getField(6)).isEqualTo(true);
            assertThat((Long) t.getField(11) - (Long) t.getField(10)).isEqualTo(t.getField(12));
            net += (Long) t.getField(12);
        }
        assertThat(net).as("transfers conserve tokens").isZero();
    }

    /**
     * late_fraction moves the block_time (and the record timestamp) of about that share of rows
     * back by late_by; every other value, and which rows, are the same in every run.
     */
    @Test
    void lateFractionMovesTheSameRowsBackByLateBy() {
        SyntheticOptions late =
                SyntheticOptions.builder()
                        .seed(7)
                        .startSlot(1000)
                        .endSlot(1200)
                        .transactionsPerSlot(500)
                        .lateFraction(0.05)
                        .lateBy(java.time.Duration.ofSeconds(100))
                        .build();
        int time = T.rowType().getFieldIndex("block_time");
        SlotGenerator plain = new SlotGenerator(OPTIONS);
        SlotGenerator moved = new SlotGenerator(late);
        int total = 0;
        int shifted = 0;
        for (long s = 1000; s < 1100; s++) {
            List<Row> a = new ArrayList<>();
            List<Long> ta = new ArrayList<>();
            List<Row> b = new ArrayList<>();
            List<Long> tb = new ArrayList<>();
            plain.generate(
                    s,
                    T,
                    (row, ts) -> {
                        a.add(Row.copy(row));
                        ta.add(ts);
                    });
            moved.generate(
                    s,
                    T,
                    (row, ts) -> {
                        b.add(Row.copy(row));
                        tb.add(ts);
                    });
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.size(); i++) {
                total++;
                long ours = (Long) b.get(i).getField(time);
                long theirs = (Long) a.get(i).getField(time);
                if (ours != theirs) {
                    shifted++;
                    assertThat(ours).isEqualTo(theirs - 100);
                    assertThat(tb.get(i)).isEqualTo(ta.get(i) - 100_000);
                    b.get(i).setField(time, theirs);
                }
                assertThat(b.get(i)).isEqualTo(a.get(i));
                assertThat(moved.isLate(s, i)).isEqualTo(ours != theirs);
            }
        }
        assertThat((double) shifted / total).isCloseTo(0.05, within(0.01));
        assertThatThrownBy(() -> SyntheticOptions.builder().lateFraction(1.5).build())
                .hasMessage("synthetic Solana source: lateFraction must be in [0, 1], got 1.5");
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> SyntheticOptions.builder().startSlot(10).endSlot(5).build())
                .hasMessage(
                        "synthetic Solana source: endSlot (5) must be greater than startSlot (10)");
        assertThatThrownBy(() -> SyntheticOptions.builder().voteFraction(1.5).build())
                .hasMessage("synthetic Solana source: voteFraction must be in [0, 1], got 1.5");
    }
}
