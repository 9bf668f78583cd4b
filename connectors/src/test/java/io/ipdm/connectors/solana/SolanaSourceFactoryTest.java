package io.ipdm.connectors.solana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.rpc.RpcSource;
import io.ipdm.connectors.solana.synthetic.SyntheticSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SolanaSourceFactoryTest {
    @Test
    void buildsEachKindFromOptions() {
        SolanaSourceDefinition s =
                SolanaSourceFactory.create(
                        "solana-synthetic",
                        SolanaTable.fromName("transactions"),
                        Map.of(
                                "seed",
                                42,
                                "slots",
                                1500,
                                "vote_fraction",
                                0.5,
                                "target_rate",
                                "1000"));
        assertThat(s.bounded()).isTrue();
        assertThat(((SyntheticSource) s.source()).options().endSlot()).isEqualTo(300_001_500L);
        assertThat(((SyntheticSource) s.source()).options().voteFraction()).isEqualTo(0.5);
        assertThat(s.rowType().getFieldNames()).contains("program_ids");

        SolanaSourceDefinition r =
                SolanaSourceFactory.create(
                        "solana-rpc",
                        SolanaTable.BLOCKS,
                        Map.of(
                                "endpoint",
                                "http://127.0.0.1:8899",
                                "commitment",
                                "finalized",
                                "start_slot",
                                5,
                                "end_slot",
                                9));
        assertThat(r.source()).isInstanceOf(RpcSource.class);
        assertThat(r.bounded()).isTrue();

        SolanaSourceDefinition replay =
                SolanaSourceFactory.create(
                        "solana-replay",
                        SolanaTable.fromName("token_balances"),
                        Map.of("paths", List.of("/a", "/b"), "on_corrupt_block", "skip"));
        assertThat(replay.table()).isEqualTo(SolanaTable.TOKEN_BALANCE_CHANGES);
        assertThat(replay.bounded()).isTrue();
    }

    @Test
    void badOptionsNameKindKeyAndAllowedValues() {
        assertThatThrownBy(
                        () ->
                                SolanaSourceFactory.create(
                                        "solana-synthetic", SolanaTable.BLOCKS, Map.of("sead", 1)))
                .hasMessage(
                        "solana-synthetic: unknown option 'sead'; allowed: account_pool_size, end_slot,"
                                + " failure_rate, seed, skipped_slot_rate, slots, slots_per_split, start_slot,"
                                + " target_rate, transactions_per_slot, v0_fraction, validator_count,"
                                + " vote_fraction");
        assertThatThrownBy(
                        () ->
                                SolanaSourceFactory.create(
                                        "solana-synthetic",
                                        SolanaTable.BLOCKS,
                                        Map.of("seed", "abc")))
                .hasMessage("solana-synthetic: option 'seed' must be an integer, got 'abc'");
        assertThatThrownBy(
                        () ->
                                SolanaSourceFactory.create(
                                        "solana-replay", SolanaTable.BLOCKS, Map.of()))
                .hasMessage(
                        "solana-replay: needs option 'path' (a file or directory of getBlock responses) or 'paths'");
        assertThatThrownBy(
                        () ->
                                SolanaSourceFactory.create(
                                        "solana-replay",
                                        SolanaTable.BLOCKS,
                                        Map.of("path", "/x", "on_corrupt_block", "ignore")))
                .hasMessage(
                        "solana-replay: option 'on_corrupt_block' must be fail or skip, got 'ignore'");
        assertThatThrownBy(
                        () ->
                                SolanaSourceFactory.create(
                                        "solana-ftp", SolanaTable.BLOCKS, Map.of()))
                .hasMessage(
                        "unknown Solana source kind 'solana-ftp'; known: solana-replay, solana-synthetic, solana-rpc");
        assertThatThrownBy(() -> SolanaTable.fromName("txs"))
                .hasMessage(
                        "unknown Solana table 'txs'; allowed: blocks, transactions, instructions, token_balance_changes");
    }
}
