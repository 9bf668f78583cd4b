package io.ipdm.lakes.testutils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real third-party test data in ../shared/data; tests skip when it is absent. */
public final class SharedData {
    private SharedData() {}

    public static Path dir(String relative) {
        String root = System.getProperty("ipdm.shared.data", "../../shared/data");
        Path p = Path.of(root).resolve(relative);
        assumeTrue(
                Files.exists(p),
                "shared test data not found at "
                        + p.toAbsolutePath()
                        + " (set -Dipdm.shared.data to the shared/data directory)");
        return p;
    }
}
