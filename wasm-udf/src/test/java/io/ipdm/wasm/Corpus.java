package io.ipdm.wasm;

import java.nio.file.Files;
import java.nio.file.Path;

/** The module corpus of this module (wasm-udf/corpus), found from the test's working directory. */
final class Corpus {
    private Corpus() {}

    static Path dir() {
        Path p = Path.of("corpus").toAbsolutePath();
        if (!Files.isDirectory(p)) {
            p = Path.of("wasm-udf", "corpus").toAbsolutePath();
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException(
                    "module corpus not found from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Path file(String relative) {
        Path p = dir().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(
                    "corpus module " + p + " is missing; run wasm-udf/corpus/rebuild.sh");
        }
        return p;
    }

    /**
     * Generous time budget: on a loaded 2-core machine the first batches run in the interpreter
     * until Truffle has compiled the module.
     */
    static final SandboxLimits TEST_LIMITS =
            SandboxLimits.DEFAULT.withCallTimeout(java.time.Duration.ofSeconds(120));

    static WasmModule load(String relative) {
        return WasmModule.load(file(relative), TEST_LIMITS);
    }

    static WasmModule load(String relative, SandboxLimits limits) {
        return WasmModule.load(file(relative), limits);
    }
}
