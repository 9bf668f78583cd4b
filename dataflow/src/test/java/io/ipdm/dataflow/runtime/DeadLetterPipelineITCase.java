package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.testutils.DeadLetterPipeline;
import io.ipdm.operators.wasm.WasmOperators;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink reads a WASM stage's {@code <stage>_dead_letters} stream from YAML ({@link
 * DeadLetterPipeline}): exactly the rows with a negative {@code x} arrive there, with the error,
 * and the others are doubled in the stage's output.
 */
class DeadLetterPipelineITCase {
    @Test
    void deadLetterRowsReachTheSinkThatReadsThem(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        PipelineRuns.runToCompletion(
                DeadLetterPipeline.yaml(true),
                "dead-letters.yaml",
                Map.of(
                        "OUT", out.toString(),
                        "STATE", tmp.resolve("state").toString(),
                        "MODULE", DeadLetterPipeline.MODULE.toString()),
                tmp);
        List<JsonNode> ok = JsonLinesFiles.read(out.resolve("ok"));
        List<JsonNode> bad = JsonLinesFiles.read(out.resolve("bad"));
        Map<Long, Set<Long>> okBySlot = new TreeMap<>();
        for (JsonNode n : ok) {
            long x = n.get("x").asLong();
            assertThat(x).isNotNegative();
            assertThat(n.get("y").asLong()).isEqualTo(2 * x);
            assertThat(n.has(WasmOperators.ERROR_FIELD)).isFalse();
            okBySlot.computeIfAbsent(n.get("slot").asLong(), k -> new TreeSet<>()).add(x);
        }
        Map<Long, Set<Long>> badBySlot = new TreeMap<>();
        for (JsonNode n : bad) {
            long x = n.get("x").asLong();
            assertThat(x).isNegative();
            assertThat(n.has("y")).isFalse();
            assertThat(n.get(WasmOperators.ERROR_FIELD).asText()).isNotEmpty();
            assertThat(
                            badBySlot
                                    .computeIfAbsent(n.get("slot").asLong(), k -> new TreeSet<>())
                                    .add(x))
                    .as("one dead letter per failed row")
                    .isTrue();
        }
        assertThat(okBySlot).isNotEmpty();
        assertThat(badBySlot).isNotEmpty();
        // Every row of every slot (x = index - 2) arrives exactly once: as a dead letter when x is
        // negative (the signs are checked above), in the stage's output otherwise.
        Set<Long> slots = new TreeSet<>(okBySlot.keySet());
        slots.addAll(badBySlot.keySet());
        for (long slot : slots) {
            TreeSet<Long> all = new TreeSet<>(okBySlot.getOrDefault(slot, Set.of()));
            all.addAll(badBySlot.getOrDefault(slot, Set.of()));
            assertThat(all.first()).isEqualTo(-2L);
            assertThat(all).hasSize((int) (all.last() + 3));
        }
    }
}
