package io.ipdm.dataflow.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example jobs give the same windows with projection push-down and shared rows (what {@code
 * ipdm run} does) as without either, on two minutes of the synthetic chain.
 */
class FieldPruningITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.of("solana-program-activity.yaml", "txs", "per_minute", 0),
                Arguments.of("solana-token-volume.yaml", "balances", "sessions", 0),
                // Quantile sketches depend on arrival order: compare the exact columns only.
                Arguments.of("solana-fee-quantiles.yaml", "txs", "costs", 3));
    }

    @ParameterizedTest
    @MethodSource("jobs")
    void sameWindowsWithAndWithoutPruning(String job, String source, String window, int columns)
            throws Exception {
        String opt = "sources." + source + ".options.";
        PipelineLoader.Loaded loaded =
                PipelineLoader.load(
                        Path.of("../jobs", job),
                        List.of(
                                opt + "duration=2m",
                                opt + "target_rate=0",
                                opt + "transactions_per_slot=20"),
                        Map.of());
        List<String> optimized = run(loaded, window, true, columns);
        assertThat(optimized).isNotEmpty();
        assertThat(optimized).isEqualTo(run(loaded, window, false, columns));
    }

    private List<String> run(
            PipelineLoader.Loaded loaded, String window, boolean optimized, int columns)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<DataStream<Row>> out = new ArrayList<>();
        PipelineCompiler.compile(
                loaded,
                env,
                tmp,
                s -> {
                    if (s.id().equals(window)) {
                        out.add(s.stream());
                    }
                    return s;
                },
                optimized);
        if (optimized) {
            env.getConfig().enableObjectReuse();
        }
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = out.get(0).executeAndCollect()) {
            while (it.hasNext()) {
                Row r = it.next();
                int n = columns == 0 ? r.getArity() : columns;
                List<Object> kept = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    kept.add(r.getField(i));
                }
                rows.add(kept.toString());
            }
        }
        Collections.sort(rows);
        return rows;
    }
}
