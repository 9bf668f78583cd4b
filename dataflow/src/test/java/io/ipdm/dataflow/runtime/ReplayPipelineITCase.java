package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job's query on the real blocks in ../shared/data/solana, run by {@link LocalRunner} on a
 * MiniCluster into a JSON Lines sink, equals the same query computed in plain Java.
 */
class ReplayPipelineITCase {
    static final String PIPELINE =
            """
            name: replay-activity
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 1000d}
            sources:
              - id: txs
                kind: solana-replay
                table: transactions
                options: {path: "${DATA}"}
            stages:
              - {id: non_vote, kind: filter, input: txs, where: "!is_vote"}
              - {id: per_program, kind: explode, input: non_vote, field: program_ids, as: program_id}
              - id: flagged
                kind: project
                input: per_program
                select: {block_time: block_time, program_id: program_id, failed: "success ? 0 : 1"}
              - id: per_minute
                kind: window
                input: flagged
                key_by: [program_id]
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
                  - {name: failed, fn: sum, field: failed}
            sinks:
              - id: out
                kind: jsonl
                input: per_minute
                options: {path: "${OUT}"}
            runtime: {parallelism: 2, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    static Path data() {
        return SharedData.solana("photon-getblock-base64").normalize();
    }

    @Test
    void windowsEqualPlainJavaComputation(@TempDir Path tmp) throws Exception {
        Path data = data();
        Path out = tmp.resolve("out");
        PipelineRuns.runToCompletion(
                PIPELINE,
                "replay.yaml",
                Map.of(
                        "DATA",
                        data.toString(),
                        "OUT",
                        out.toString(),
                        "STATE",
                        tmp.resolve("state").toString()),
                tmp);

        Map<String, String> actual = new TreeMap<>();
        for (JsonNode n : JsonLinesFiles.read(out)) {
            actual.put(
                    n.get("program_id").asText() + "@" + n.get("window_start").asLong(),
                    n.get("txs").asLong() + "/" + n.get("failed").asLong());
        }
        assertThat(actual).isEqualTo(expected(data));
    }

    /** Per (program, minute): non-vote transactions invoking it, and how many failed. */
    static Map<String, String> expected(Path dir) throws IOException {
        Map<String, long[]> counts = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.getFileName().toString().startsWith("block_"))
                            .sorted()
                            .toList()) {
                for (Row r :
                        SolanaRows.rows(GetBlockDecoder.decodeFile(f), SolanaTable.TRANSACTIONS)) {
                    if ((Boolean) r.getField(SolanaTable.TRANSACTIONS.indexOf("is_vote"))) {
                        continue;
                    }
                    long minute =
                            (Long) r.getField(SolanaTable.TRANSACTIONS.indexOf("block_time"))
                                    / 60
                                    * 60_000;
                    boolean success =
                            (Boolean) r.getField(SolanaTable.TRANSACTIONS.indexOf("success"));
                    String[] programs =
                            (String[]) r.getField(SolanaTable.TRANSACTIONS.indexOf("program_ids"));
                    Set<String> distinct = new LinkedHashSet<>(List.of(programs));
                    for (String p : distinct) {
                        long[] c = counts.computeIfAbsent(p + "@" + minute, k -> new long[2]);
                        c[0]++;
                        c[1] += success ? 0 : 1;
                    }
                }
            }
        }
        Map<String, String> out = new TreeMap<>();
        counts.forEach((k, c) -> out.put(k, c[0] + "/" + c[1]));
        return out;
    }
}
