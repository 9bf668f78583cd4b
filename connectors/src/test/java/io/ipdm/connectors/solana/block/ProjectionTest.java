package io.ipdm.connectors.solana.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * A projection never changes the rows of the columns it reads: on every real block and fixture, for
 * every table, one column at a time and a few typical column sets, the projected decode's rows
 * equal the full decode's rows cut down to those columns.
 */
class ProjectionTest {

    @Test
    void projectedRowsEqualFullRowsOnEveryRealFile() {
        List<Path> files = SharedData.getBlockFiles();
        assertThat(SharedData.fullBlocks()).hasSize(6);
        int compared = 0;
        for (Path f : files) {
            SolanaBlock full = GetBlockDecoder.decodeFile(f);
            for (SolanaTable t : SolanaTable.values()) {
                List<Row> fullRows = SolanaRows.rows(full, t);
                for (Projection p : projections(t)) {
                    List<Row> got = SolanaRows.rows(GetBlockDecoder.decodeFile(f, p), p);
                    List<Row> want = new ArrayList<>();
                    for (Row r : fullRows) {
                        want.add(p.project(r));
                    }
                    assertThat(got).as("%s %s", f.getFileName(), p).isEqualTo(want);
                    for (Row r : got) {
                        assertThat(r.getArity()).isEqualTo(p.rowType().getArity());
                    }
                    compared += got.size();
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
    }

    @Test
    void transactionsWithoutInnerColumnsSkipInnerInstructionsAndTokenBalances() {
        Projection p =
                Projection.of(SolanaTable.TRANSACTIONS, List.of("signature", "fee", "program_ids"));
        assertThat(p.transactions()).isTrue();
        assertThat(p.innerInstructions()).isFalse();
        assertThat(p.tokenBalances()).isFalse();
        assertThat(p.rewards()).isFalse();
        assertThat(p.logMessages()).isFalse();
        assertThat(p.columns()).containsExactly("block_time", "signature", "fee", "program_ids");
        SolanaBlock b =
                GetBlockDecoder.decodeFile(
                        SharedData.solana("photon-getblock-base64/block_254170887.json"), p);
        assertThat(b.transactions()).allSatisfy(tx -> assertThat(tx.innerInstructions()).isEmpty());
        assertThat(b.transactions()).allSatisfy(tx -> assertThat(tx.preTokenBalances()).isEmpty());
        assertThat(
                        GetBlockDecoder.decodeFile(
                                        SharedData.solana(
                                                "photon-getblock-base64/block_254170887.json"))
                                .transactions()
                                .stream()
                                .mapToInt(SolanaTransaction::innerInstructionCount)
                                .sum())
                .isPositive();
    }

    @Test
    void transactionsReadInnerProgramsButNotInnerAccountsDataOrStackHeights() {
        Projection p = Projection.all(SolanaTable.TRANSACTIONS);
        assertThat(p.innerInstructions()).isTrue();
        assertThat(p.innerInstructionDetail()).isFalse();
        assertThat(Projection.all(SolanaTable.INSTRUCTIONS).innerInstructionDetail()).isTrue();
        assertThat(Projection.EVERYTHING.innerInstructionDetail()).isTrue();
        var f = SharedData.solana("photon-getblock-base64/block_254170887.json");
        List<SolanaTransaction> full = GetBlockDecoder.decodeFile(f).transactions();
        List<SolanaTransaction> lean = GetBlockDecoder.decodeFile(f, p).transactions();
        assertThat(lean).hasSameSizeAs(full);
        int inner = 0;
        for (int i = 0; i < full.size(); i++) {
            List<InnerInstructions> want = full.get(i).innerInstructions();
            List<InnerInstructions> got = lean.get(i).innerInstructions();
            assertThat(got).hasSameSizeAs(want);
            for (int g = 0; g < want.size(); g++) {
                assertThat(got.get(g).index()).isEqualTo(want.get(g).index());
                assertThat(got.get(g).instructions())
                        .extracting(Instruction::programIdIndex)
                        .isEqualTo(
                                want.get(g).instructions().stream()
                                        .map(Instruction::programIdIndex)
                                        .toList());
                assertThat(got.get(g).instructions())
                        .allSatisfy(
                                ix -> {
                                    assertThat(ix.accounts()).isNull();
                                    assertThat(ix.data()).isNull();
                                    assertThat(ix.stackHeight()).isNull();
                                });
                inner += want.get(g).instructions().size();
            }
            assertThat(lean.get(i).innerProgramIds())
                    .containsExactly(full.get(i).innerProgramIds());
        }
        assertThat(inner).isGreaterThan(100);
    }

    @Test
    void blocksHeaderOnlySkipsTransactions() {
        Projection p = Projection.of(SolanaTable.BLOCKS, List.of("slot", "blockhash"));
        assertThat(p.transactions()).isFalse();
        assertThat(p.rewards()).isFalse();
        assertThat(Projection.of(SolanaTable.BLOCKS, List.of("leader")).rewards()).isTrue();
        assertThat(Projection.of(SolanaTable.BLOCKS, List.of("total_fee")).transactions()).isTrue();
        assertThat(Projection.of(SolanaTable.INSTRUCTIONS, List.of("slot")).innerInstructions())
                .isTrue();
        assertThat(Projection.EVERYTHING.innerInstructions()).isTrue();
        assertThat(Projection.all(SolanaTable.TRANSACTIONS).isAll()).isTrue();
    }

    @Test
    void neededFieldsOfOtherStreamsAreIgnoredButUnknownColumnsAreErrors() {
        Projection p = Projection.ofNeeded(SolanaTable.TRANSACTIONS, Set.of("fee", "window_start"));
        assertThat(p.columns()).containsExactly("block_time", "fee");
        assertThat(Projection.ofNeeded(SolanaTable.TRANSACTIONS, null).isAll()).isTrue();
        assertThatThrownBy(() -> Projection.of(SolanaTable.TRANSACTIONS, List.of("nope")))
                .hasMessageContaining("has no field 'nope'");
    }

    /** All, every single column, and the usual job shapes. */
    static List<Projection> projections(SolanaTable t) {
        List<Projection> out = new ArrayList<>();
        out.add(Projection.all(t));
        for (String c : t.fieldNames()) {
            out.add(Projection.of(t, List.of(c)));
        }
        switch (t) {
            case TRANSACTIONS -> {
                out.add(Projection.of(t, List.of("slot", "program_ids", "fee", "success")));
                out.add(Projection.of(t, List.of("signature", "inner_program_ids", "is_vote")));
            }
            case BLOCKS -> out.add(Projection.of(t, List.of("slot", "tx_count", "leader")));
            case INSTRUCTIONS ->
                    out.add(Projection.of(t, List.of("program_id", "inner_index", "data")));
            case TOKEN_BALANCE_CHANGES ->
                    out.add(Projection.of(t, List.of("mint", "delta", "owner")));
        }
        return out;
    }
}
