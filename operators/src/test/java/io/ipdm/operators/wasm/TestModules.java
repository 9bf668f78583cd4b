package io.ipdm.operators.wasm;

import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Modules of the wasm-udf corpus, for operator tests. */
final class TestModules {
    /** Generous: the first batches run interpreted until Truffle compiles, on a loaded machine. */
    static final SandboxLimits LIMITS =
            SandboxLimits.DEFAULT.withCallTimeout(Duration.ofSeconds(120));

    private TestModules() {}

    static Path corpus() {
        for (Path p : new Path[] {Path.of("../wasm-udf/corpus"), Path.of("wasm-udf/corpus")}) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException(
                "wasm-udf/corpus not found from " + Path.of("").toAbsolutePath());
    }

    static WasmModule load(String relative) {
        return WasmModule.load(corpus().resolve(relative), LIMITS);
    }
}
