package io.ipdm.dataflow.testutils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The dead-letter pipeline the runtime and CLI tests share: the hostile corpus module {@code
 * reject} refuses batches with a negative {@code x}; with one row per batch ({@code on_failure:
 * dead_letter}) and x = index - 2 over 6 slots of 5 transactions, 12 rows fail. Sink {@code ok}
 * reads the stage's output; with {@code readDeadLetters} sink {@code bad} reads {@code
 * doubled_dead_letters}. The stage's {@code on_failure} is at line 17, column 37 (warnings point
 * there).
 */
public final class DeadLetterPipeline {
    /** The module, as built into the hostile corpus. */
    public static final Path MODULE =
            Path.of("../wasm-udf/corpus/hostile/reject.wasm").toAbsolutePath().normalize();

    private DeadLetterPipeline() {}

    /** The YAML with placeholders {@code ${OUT}}, {@code ${STATE}} and {@code ${MODULE}}. */
    public static String yaml(boolean readDeadLetters) {
        String extraSink =
                readDeadLetters
                        ? "\n  - {id: bad, kind: jsonl, input: doubled_dead_letters, options: {path:"
                                + " \"${OUT}/bad\"}}"
                        : "";
        return """
                name: dead-letters
                sources:
                  - id: txs
                    kind: solana-synthetic
                    table: transactions
                    options: {slots: 6, transactions_per_slot: 5, seed: 7}
                stages:
                  - id: xs
                    kind: project
                    input: txs
                    select: {slot: slot, x: "index - 2"}
                  - id: doubled
                    kind: wasm
                    input: xs
                    module: reject
                    function: run
                    options: {batch: 1, on_failure: dead_letter}
                sinks:
                  - {id: ok, kind: jsonl, input: doubled, options: {path: "${OUT}/ok"}}%s
                runtime: {parallelism: 1, checkpoint_interval: 1s, state_dir: "${STATE}"}
                modules:
                  - {id: reject, path: "${MODULE}"}
                """
                .formatted(extraSink);
    }

    /** Values for the placeholders: output under {@code dir}, state in {@code dir/state}. */
    public static Map<String, String> vars(Path dir) {
        return Map.of(
                "OUT", dir.toString(),
                "STATE", dir.resolve("state").toString(),
                "MODULE", MODULE.toString());
    }

    /** Writes {@code dir/dead-letters.yaml} with the placeholders filled by {@link #vars}. */
    public static Path write(Path dir, boolean readDeadLetters) throws IOException {
        String text = yaml(readDeadLetters);
        for (Map.Entry<String, String> v : vars(dir).entrySet()) {
            text = text.replace("${" + v.getKey() + "}", v.getValue());
        }
        Path yaml = dir.resolve("dead-letters.yaml");
        Files.writeString(yaml, text);
        return yaml;
    }
}
