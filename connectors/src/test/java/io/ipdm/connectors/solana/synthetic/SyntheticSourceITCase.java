package io.ipdm.connectors.solana.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SyntheticSourceITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void boundedRunGivesTheGeneratorsRowsAtAnyParallelism() throws Exception {
        SyntheticOptions options =
                SyntheticOptions.builder()
                        .seed(11)
                        .startSlot(1_000)
                        .duration(Duration.ofSeconds(10))
                        .transactionsPerSlot(100)
                        .slotsPerSplit(5)
                        .build();
        SolanaSourceDefinition def = SolanaSources.synthetic(options, SolanaTable.TRANSACTIONS);
        assertThat(def.bounded()).isTrue();

        List<Row> expected = new ArrayList<>();
        SlotGenerator g = new SlotGenerator(options);
        for (long s = options.startSlot(); s < options.endSlot(); s++) {
            g.generate(s, SolanaTable.TRANSACTIONS, (row, ts) -> expected.add(row));
        }
        for (int parallelism : new int[] {1, 2}) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(parallelism);
            List<Row> rows =
                    env.fromSource(
                                    def.source(),
                                    def.watermarkStrategy(Duration.ofSeconds(5)),
                                    "synthetic",
                                    def.rowType())
                            .executeAndCollect(1_000_000);
            rows.sort(SyntheticSourceTest.BY_SLOT_INDEX);
            assertThat(rows).as("parallelism " + parallelism).isEqualTo(expected);
        }
    }
}
