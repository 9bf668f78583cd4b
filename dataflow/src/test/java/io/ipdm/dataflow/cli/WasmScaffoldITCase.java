package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.wasm.abi.AbiDescriptor;
import io.ipdm.wasm.abi.ColumnType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * From an empty directory, for each language and function kind: {@code ipdm wasm init} from a
 * pipeline's stream, {@code ipdm wasm build}, {@code ipdm wasm test}, and {@code ipdm run} of a
 * pipeline using the module, whose output is checked row by row against what the scaffolded
 * function computes with (its first integer input column).
 */
class WasmScaffoldITCase extends CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each command's output alone in {@link #out} and {@link #err}. */
    @Override
    protected int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return super.run(args);
    }

    static final String SOURCE =
            """
            name: scaffold-%s
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 5s}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {slots: 4, transactions_per_slot: 5, seed: 7}
            """;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "c, map",
        "c, filter",
        "c, flatmap",
        "c, aggregate",
        "rust, map",
        "rust, filter",
        "rust, flatmap",
        "rust, aggregate",
        "assemblyscript, map",
        "assemblyscript, filter",
        "assemblyscript, flatmap",
        "assemblyscript, aggregate"
    })
    void initBuildTestAndRun(String lang, String kind, @TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/clang")), "clang is not installed");
        String name = "my_" + kind;
        Path job = tmp.resolve("job.yaml");
        Files.writeString(
                job,
                SOURCE.formatted(kind)
                        + "sinks:\n  - {id: all, kind: jsonl, input: txs, options: {path: all}}\n");
        Path project = tmp.resolve(name);
        assertThat(
                        run(
                                "wasm",
                                "init",
                                name,
                                "--lang",
                                lang,
                                "--for",
                                job.toString(),
                                "--stage",
                                "txs",
                                "--kind",
                                kind,
                                "--dir",
                                project.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).startsWith("created " + project);
        assertThat(project.resolve("README.md")).exists();
        assertThat(Files.readString(project.resolve("README.md")).strip().lines()).hasSize(3);

        assertThat(run("wasm", "build", project.toString())).as(err.toString()).isZero();
        Path wasm = project.resolve(name + ".wasm");
        assertThat(out.toString())
                .matches("(?s).*" + name + "\\.wasm bafkrei[a-z2-7]+ [0-9,]+ bytes\n");
        byte[] first = Files.readAllBytes(wasm);
        assertThat(run("wasm", "build", project.toString())).isZero();
        assertThat(Files.readAllBytes(wasm)).as("a rebuild gives the same bytes").isEqualTo(first);

        assertThat(run("wasm", "test", wasm.toString(), "--rows", "1000"))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .contains(" " + kind + " " + name + ": 1000 seeded rows in 1 batch -> ")
                .contains("; 2 runs, identical bytes (sha256 ");

        Path pipeline = tmp.resolve("run.yaml");
        String stage =
                kind.equals("aggregate")
                        ? "  - {id: out, kind: window, input: txs, window: {type: tumbling, size: 10m},"
                                + " aggregates: [{wasm: "
                                + name
                                + "."
                                + name
                                + "}]}\n"
                        : "  - {id: out, kind: wasm, input: txs, module: "
                                + name
                                + ", function: "
                                + name
                                + "}\n";
        Files.writeString(
                pipeline,
                SOURCE.formatted(kind)
                        + "stages:\n"
                        + stage
                        + "sinks:\n"
                        + "  - {id: all, kind: jsonl, input: txs, options: {path: all}}\n"
                        + "  - {id: result, kind: jsonl, input: out, options: {path: result}}\n"
                        + "runtime: {parallelism: 1, state_dir: state}\n"
                        + "modules:\n  - {id: "
                        + name
                        + ", path: "
                        + name
                        + "/"
                        + name
                        + ".wasm}\n");
        assertThat(
                        run(
                                "run",
                                "-q",
                                pipeline.toString(),
                                "--set",
                                "runtime.state_dir=" + tmp.resolve("state"),
                                "--set",
                                "sinks.all.options.path=" + tmp.resolve("all"),
                                "--set",
                                "sinks.result.options.path=" + tmp.resolve("result")))
                .as(err.toString())
                .isZero();
        List<JsonNode> all = read(tmp.resolve("all"));
        List<JsonNode> result = read(tmp.resolve("result"));
        assertThat(all).hasSize(20);
        // what the scaffolded function computes with: its first integer input column
        AbiDescriptor d =
                AbiDescriptor.parse(name, Files.readAllBytes(project.resolve(name + ".abi.json")));
        String anchor =
                d.functions().get(name).input().columns().stream()
                        .filter(c -> c.type() == ColumnType.INT64 || c.type() == ColumnType.INT32)
                        .findFirst()
                        .orElseThrow()
                        .name();
        List<Long> fees = all.stream().map(n -> n.path(anchor).asLong()).sorted().toList();
        switch (kind) {
            case "map" -> {
                assertThat(result).hasSize(20);
                for (JsonNode n : result) {
                    assertThat(n.get(name).asLong()).isEqualTo(n.path(anchor).asLong());
                }
            }
            case "filter" ->
                    assertThat(result.stream().map(n -> n.path(anchor).asLong()).sorted().toList())
                            .isEqualTo(fees.stream().filter(f -> f > 0).toList());
            case "flatmap" -> {
                assertThat(result).hasSize(40);
                assertThat(result.stream().filter(n -> n.get("copy").asInt() == 1)).hasSize(20);
            }
            default -> {
                assertThat(result.stream().mapToLong(n -> n.get("count").asLong()).sum())
                        .isEqualTo(20);
                assertThat(result.stream().mapToLong(n -> n.get("total").asLong()).sum())
                        .isEqualTo(fees.stream().mapToLong(Long::longValue).sum());
            }
        }
    }

    private static List<JsonNode> read(Path dir) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                if (f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        try {
                            rows.add(JSON.readTree(line));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }
        }
        return rows;
    }
}
