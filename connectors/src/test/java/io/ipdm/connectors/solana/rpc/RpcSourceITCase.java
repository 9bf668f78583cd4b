package io.ipdm.connectors.solana.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.testutils.LocalRpcServer;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RpcSourceITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void boundedRpcRunOnMiniCluster() throws Exception {
        try (LocalRpcServer server = RpcReaderTest.serverWithBlocks()) {
            RpcOptions o = RpcReaderTest.options(server).startSlot(100).endSlot(105).build();
            SolanaSourceDefinition def = SolanaSources.rpc(o, SolanaTable.TRANSACTIONS);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            List<Row> rows =
                    env.fromSource(
                                    def.source(),
                                    def.watermarkStrategy(Duration.ZERO),
                                    "rpc",
                                    def.rowType())
                            .executeAndCollect(10_000);
            assertThat(rows).hasSize(57 + 18 + 20 + 10);
            assertThat(rows).extracting(r -> r.getField(0)).isSorted();
        }
    }
}
