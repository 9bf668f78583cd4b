package io.ipdm.connectors.solana.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplaySourceITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void replaysRealBlocksOnMiniCluster() throws Exception {
        SolanaSourceDefinition def =
                SolanaSources.replay(
                        List.of(
                                SharedData.solana("photon-getblock-base64"),
                                SharedData.solana("nyanbot-getblock-base58/block_326027759.json")),
                        SolanaTable.BLOCKS);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<Row> blocks =
                env.fromSource(
                                def.source(),
                                def.watermarkStrategy(Duration.ofSeconds(10)),
                                "replay",
                                def.rowType())
                        .executeAndCollect(100);
        Map<Long, Integer> txCounts = new HashMap<>();
        for (Row r : blocks) {
            txCounts.put(
                    (Long) r.getField(0),
                    (Integer) r.getField(SolanaTable.BLOCKS.indexOf("tx_count")));
        }
        assertThat(txCounts)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                254170887L, 602,
                                270893658L, 57,
                                314167369L, 18,
                                380876342L, 58,
                                443787702L, 20,
                                326027759L, 1509));

        SolanaSourceDefinition txDef =
                SolanaSources.replay(
                        List.of(SharedData.solana("photon-getblock-base64")),
                        SolanaTable.TRANSACTIONS);
        List<Row> txs =
                env.fromSource(
                                txDef.source(),
                                txDef.watermarkStrategy(Duration.ZERO),
                                "replay-tx",
                                txDef.rowType())
                        .executeAndCollect(10_000);
        assertThat(txs).hasSize(602 + 57 + 18 + 58 + 20);
    }
}
