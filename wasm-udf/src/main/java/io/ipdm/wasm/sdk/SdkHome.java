package io.ipdm.wasm.sdk;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the SDKs are: {@code $IPDM_SDK}, else {@code <ipdm.home>/wasm-udf/sdk} (the launcher sets
 * {@code -Dipdm.home}), else the first {@code wasm-udf/sdk} above the working directory.
 */
public record SdkHome(Path dir) {
    public static SdkHome locate() {
        String env = System.getenv("IPDM_SDK");
        if (env != null && !env.isBlank()) {
            return check(Path.of(env));
        }
        String home = System.getProperty("ipdm.home");
        if (home != null) {
            return check(Path.of(home, "wasm-udf", "sdk"));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("wasm-udf/sdk/rust"))) {
                return new SdkHome(p.resolve("wasm-udf/sdk"));
            }
        }
        throw new IllegalStateException(
                "the IPDM SDKs were not found: set IPDM_SDK to the wasm-udf/sdk directory of the"
                        + " IPDM installation");
    }

    private static SdkHome check(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs.resolve("rust"))) {
            throw new IllegalStateException(
                    abs + " is not the IPDM SDK directory (no rust/ in it); set IPDM_SDK");
        }
        return new SdkHome(abs);
    }

    /** The Rust crate {@code ipdm}. */
    public Path rust() {
        return dir.resolve("rust");
    }

    /** The npm package {@code ipdm-sdk}. */
    public Path assemblyScript() {
        return dir.resolve("assemblyscript");
    }

    /** The directory of {@code ipdm.h}. */
    public Path c() {
        return dir.resolve("c");
    }

    /** The pinned AssemblyScript compiler ({@code npm ci} in the package installs it). */
    public Path asc() {
        return assemblyScript().resolve("node_modules/.bin/asc");
    }
}
