package io.ipdm.connectors.solana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class SolanaTableTest {
    @Test
    void namesPositionsAndEventTime() {
        assertThat(SolanaTable.fromName("token_balance_changes"))
                .isEqualTo(SolanaTable.TOKEN_BALANCE_CHANGES);
        assertThat(SolanaTable.TRANSACTIONS.rowType().getFieldNames())
                .startsWith(
                        "slot",
                        "block_time",
                        "index",
                        "signature",
                        "fee_payer",
                        "fee",
                        "success",
                        "error");
        assertThat(SolanaTable.BLOCKS.blockTimeIndex()).isEqualTo(4);
        Row tx = Row.withPositions(SolanaTable.TRANSACTIONS.arity());
        tx.setField(1, 1_700_000_000L);
        assertThat(SolanaTable.TRANSACTIONS.eventTimeMillis(tx)).isEqualTo(1_700_000_000_000L);
        assertThat(SolanaTable.TRANSACTIONS.eventTimeMillis(Row.withPositions(18)))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void unknownNamesListTheAllowedOnes() {
        assertThatThrownBy(() -> SolanaTable.fromName("txs"))
                .hasMessage(
                        "unknown Solana table 'txs'; allowed: blocks, transactions, instructions, token_balance_changes");
        assertThatThrownBy(() -> SolanaTable.BLOCKS.indexOf("fee"))
                .hasMessageStartingWith(
                        "table blocks has no field 'fee'; fields: [slot, parent_slot,");
    }
}
