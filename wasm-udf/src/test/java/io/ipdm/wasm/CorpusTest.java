package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed corpus binaries are exactly what their sources build to, and all load. */
class CorpusTest {

    @Test
    void freshBuildOfEverySourceGivesTheCommittedBytes() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/clang")),
                "clang is not installed; run .ci/setup.d/wasm-udf.sh (CI always does)");
        Process p =
                new ProcessBuilder("bash", Corpus.dir().resolve("rebuild.sh").toString(), "--check")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("all bytes identical");
    }

    @Test
    void everyUsefulModuleLoads() throws IOException {
        try (Stream<Path> files = Files.walk(Corpus.dir())) {
            var modules =
                    files.filter(f -> f.toString().endsWith(".wasm"))
                            .filter(f -> !f.getParent().getFileName().toString().equals("hostile"))
                            .toList();
            assertThat(modules).isNotEmpty();
            for (Path f : modules) {
                WasmModule m = WasmModule.load(f, SandboxLimits.DEFAULT);
                assertThat(m.descriptor().functions()).as(f.toString()).isNotEmpty();
            }
        }
    }
}
