package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A YAML pipeline with a {@code wasm} stage (the C classify module of the wasm-udf corpus) on the
 * real blocks in ../shared/data/solana equals the same classification computed in plain Java.
 */
class WasmPipelineITCase {
    static final String PIPELINE =
            """
            name: families
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 1000d}
            sources:
              - id: txs
                kind: solana-replay
                table: transactions
                options: {path: "${DATA}"}
            stages:
              - id: classified
                kind: wasm
                input: txs
                module: classify
                function: classify
                options: {batch: 100, max_batch_delay: 50ms}
              - id: per_minute
                kind: window
                input: classified
                key_by: [family]
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
            sinks:
              - id: out
                kind: jsonl
                input: per_minute
                options: {path: "${OUT}"}
            runtime: {parallelism: 2, checkpoint_interval: 1s, state_dir: "${STATE}"}
            modules:
              - id: classify
                path: "${MODULE}"
                config: {max_memory_pages: 64, timeout: 120s}
            """;

    static final Map<String, Integer> FAMILIES =
            Map.ofEntries(
                    Map.entry("Vote111111111111111111111111111111111111111", 4),
                    Map.entry("JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4", 3),
                    Map.entry("675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8", 3),
                    Map.entry("CAMMCzo5YL8w4VFF8KVHrK22GGUsp5VTaW7grrKgrWqK", 3),
                    Map.entry("whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc", 3),
                    Map.entry("PhoeNiXZ8ByJGLkxNfZRnkUfjvmuYqLR89jjFHGqdXY", 3),
                    Map.entry("LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo", 3),
                    Map.entry("6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P", 3),
                    Map.entry("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", 2),
                    Map.entry("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb", 2),
                    Map.entry("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL", 2),
                    Map.entry("11111111111111111111111111111111", 1));
    static final String[] NAMES = {"other", "system", "token", "dex", "vote"};

    @Test
    void wasmStageResultsEqualJava(@TempDir Path tmp) throws Exception {
        Path data = ReplayPipelineITCase.data();
        Path module = Path.of("../wasm-udf/corpus/c/classify.wasm").toAbsolutePath().normalize();
        Path out = tmp.resolve("out");
        PipelineRuns.runToCompletion(
                PIPELINE,
                "families.yaml",
                Map.of(
                        "DATA", data.toString(),
                        "OUT", out.toString(),
                        "STATE", tmp.resolve("state").toString(),
                        "MODULE", module.toString()),
                tmp);
        Map<String, Long> actual = new TreeMap<>();
        for (JsonNode n : JsonLinesFiles.read(out)) {
            actual.put(
                    n.get("family").asText() + "@" + n.get("window_start").asLong(),
                    n.get("txs").asLong());
        }
        assertThat(actual).isEqualTo(expected(data)).containsKey("vote@1710441660000");
    }

    static Map<String, Long> expected(Path dir) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.getFileName().toString().startsWith("block_"))
                            .sorted()
                            .toList()) {
                for (Row r :
                        SolanaRows.rows(GetBlockDecoder.decodeFile(f), SolanaTable.TRANSACTIONS)) {
                    long minute =
                            (Long) r.getField(SolanaTable.TRANSACTIONS.indexOf("block_time"))
                                    / 60
                                    * 60_000;
                    String[] programs =
                            (String[]) r.getField(SolanaTable.TRANSACTIONS.indexOf("program_ids"));
                    int best = 0;
                    for (String p : programs == null ? new String[0] : programs) {
                        best = Math.max(best, FAMILIES.getOrDefault(p, 0));
                    }
                    counts.merge(NAMES[best] + "@" + minute, 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
