package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first {@code sh} block of docs/wasm-rust.md, docs/wasm-assemblyscript.md and docs/wasm-c.md,
 * run as written by bash in an empty directory with {@code ipdm} on the PATH (this test's class
 * path and JVM flags): init, edit, build, test and run must all succeed, and the pipeline's output
 * must be what the page's module computes.
 */
class WasmDocsITCase {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rustPage(@TempDir Path tmp) throws Exception {
        runPage("wasm-rust.md", tmp);
        List<JsonNode> kept = read(tmp.resolve("fees-rust/out/paid"));
        List<JsonNode> all = read(tmp.resolve("fees-rust/out/all"));
        assertThat(all).isNotEmpty();
        long expected =
                all.stream()
                        .filter(
                                n ->
                                        n.path("success").asBoolean()
                                                && n.path("fee").asLong()
                                                        > 5000L * n.path("num_signatures").asLong()
                                                && n.path("program_ids").size() > 0)
                        .count();
        assertThat(kept).hasSize((int) expected).isNotEmpty();
    }

    @Test
    void assemblyScriptPage(@TempDir Path tmp) throws Exception {
        runPage("wasm-assemblyscript.md", tmp);
        List<JsonNode> priced = read(tmp.resolve("fees-as/out/priced"));
        assertThat(priced).hasSameSizeAs(read(tmp.resolve("fees-as/out/all"))).isNotEmpty();
        for (JsonNode n : priced) {
            long p = n.path("fee").asLong() - 5000L * n.path("num_signatures").asLong();
            assertThat(n.path("priority_fee").asLong()).isEqualTo(Math.max(p, 0));
        }
    }

    @Test
    void cPage(@TempDir Path tmp) throws Exception {
        runPage("wasm-c.md", tmp);
        List<JsonNode> all = read(tmp.resolve("fees-c/out/all"));
        List<JsonNode> windows = read(tmp.resolve("fees-c/out/per_10m"));
        assertThat(windows).isNotEmpty();
        assertThat(windows.stream().mapToLong(n -> n.path("txs").asLong()).sum())
                .isEqualTo(all.size());
        assertThat(windows.stream().mapToLong(n -> n.path("fees").asLong()).sum())
                .isEqualTo(all.stream().mapToLong(n -> n.path("fee").asLong()).sum());
    }

    private static void runPage(String page, Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/clang")), "clang is not installed");
        String md = Files.readString(ROOT.resolve("docs").resolve(page));
        int start = md.indexOf("```sh\n");
        assertThat(start).as(page + " has a sh block").isPositive();
        String script = md.substring(start + 6, md.indexOf("\n```", start + 6) + 1);
        Path bin = Files.createDirectories(tmp.resolve(".bin"));
        List<String> jvm = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-javaagent") && !a.startsWith("-agentlib")) {
                jvm.add("'" + a.replace("'", "'\\''") + "'");
            }
        }
        Path ipdm = bin.resolve("ipdm");
        Files.writeString(
                ipdm,
                "#!/bin/sh\nexec '"
                        + Path.of(System.getProperty("java.home"), "bin", "java")
                        + "' "
                        + String.join(" ", jvm)
                        + " -cp '"
                        + System.getProperty("java.class.path")
                        + "' -Dipdm.home='"
                        + ROOT
                        + "' -Dlog4j2.configurationFile='"
                        + ROOT.resolve("bin/log4j2-cli.properties")
                        + "' io.ipdm.dataflow.cli.IpdmCli \"$@\"\n");
        assertThat(ipdm.toFile().setExecutable(true)).isTrue();
        Path log = tmp.resolve(".log");
        ProcessBuilder pb =
                new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                        .directory(tmp.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(page + ":\n" + out).isZero();
        assertThat(out).contains("2 runs, identical bytes");
    }

    private static List<JsonNode> read(Path dir) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                if (!f.getFileName().toString().startsWith(".")) {
                    for (String line : Files.readAllLines(f)) {
                        if (!line.isBlank()) {
                            rows.add(JSON.readTree(line));
                        }
                    }
                }
            }
        }
        return rows;
    }
}
