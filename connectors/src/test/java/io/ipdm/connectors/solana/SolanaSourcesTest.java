package io.ipdm.connectors.solana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.rpc.RpcOptions;
import java.net.URI;
import java.util.List;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** The row type a source definition reports is the layout of the rows its source emits. */
class SolanaSourcesTest {
    private static final Projection TX_COLUMNS =
            Projection.of(SolanaTable.TRANSACTIONS, List.of("success", "program_ids", "is_vote"));

    @Test
    void archiveThenLiveReportsTheProjectedColumns() {
        SolanaSourceDefinition def =
                SolanaSources.archive(
                        ArchiveOptions.of(List.of("backfill.car")),
                        TX_COLUMNS,
                        RpcOptions.builder(URI.create("http://127.0.0.1:1")).endSlot(10).build());

        assertThat(def.source()).isInstanceOf(HybridSource.class);
        // a HybridSource does not report its type: the definition must not fall back to the
        // full table layout, or later stages read block_time where success is
        assertThat(def.rowType()).isEqualTo(TX_COLUMNS.rowType());
        assertThat(List.of(def.rowType().getFieldNames()))
                .containsExactly("block_time", "success", "program_ids", "is_vote");

        Row projected = Row.of(1_700_000_000L, true, new String[] {"Vote111"}, false);
        assertThat(def.timestampAssigner().extractTimestamp(projected, 0L))
                .isEqualTo(1_700_000_000_000L);
    }

    @Test
    void everySourceKindReportsWhatItEmits() {
        RpcOptions rpc = RpcOptions.builder(URI.create("http://127.0.0.1:1")).build();
        assertThat(
                        SolanaSources.archive(ArchiveOptions.of(List.of("a.car")), TX_COLUMNS, null)
                                .rowType())
                .isEqualTo(TX_COLUMNS.rowType());
        assertThat(SolanaSources.rpc(rpc, TX_COLUMNS).rowType()).isEqualTo(TX_COLUMNS.rowType());
        assertThat(
                        SolanaSources.archive(
                                        ArchiveOptions.of(List.of("a.car")),
                                        SolanaTable.BLOCKS,
                                        rpc)
                                .rowType())
                .isEqualTo(SolanaTable.BLOCKS.rowType());
    }

    @Test
    void aRowTypeThatIsNotTheTablesIsRefused() {
        assertThatThrownBy(
                        () ->
                                new SolanaSourceDefinition(
                                        SolanaSources.rpc(
                                                        RpcOptions.builder(
                                                                        URI.create(
                                                                                "http://127.0.0.1:1"))
                                                                .build(),
                                                        TX_COLUMNS)
                                                .source(),
                                        SolanaTable.BLOCKS,
                                        TX_COLUMNS.rowType()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a projection of table");
    }
}
