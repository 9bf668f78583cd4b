package io.ipdm.multiformats.testutils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/data; tests skip with a message when it is absent. */
public final class SharedData {
    private SharedData() {}

    /**
     * -Dipdm.shared.data, else ../shared/data next to the repository (tests run in the module
     * directory).
     */
    public static Path root() {
        String prop = System.getProperty("ipdm.shared.data");
        if (prop != null) {
            return Path.of(prop);
        }
        Path inModule = Path.of("../../shared/data");
        return Files.isDirectory(inModule) ? inModule : Path.of("../shared/data");
    }

    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(
                Files.exists(p),
                "shared test data not found at "
                        + p.toAbsolutePath()
                        + " (set -Dipdm.shared.data to the shared/data directory)");
        return p;
    }
}
