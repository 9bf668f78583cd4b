package io.ipdm.connectors.solana.testutils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real Solana test data (../shared/data/solana); skips the test when absent. */
public final class SharedData {
    private SharedData() {}

    public static Path solana() {
        String base = System.getProperty("ipdm.shared.data");
        assumeTrue(
                base != null,
                "system property ipdm.shared.data not set: run through Maven (surefire sets it)");
        Path dir = Path.of(base, "solana");
        assumeTrue(
                Files.isDirectory(dir),
                "real Solana data not found at " + dir + " (../shared/data absent): skipping");
        return dir;
    }

    public static Path solana(String relative) {
        return solana().resolve(relative);
    }
}
