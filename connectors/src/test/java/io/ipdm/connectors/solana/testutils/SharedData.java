package io.ipdm.connectors.solana.testutils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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

    /**
     * Every getBlock and getTransaction response under the Solana data directory that decodes (the
     * deliberately malformed chainstorage variants and the expectation files left out), sorted.
     */
    public static List<Path> getBlockFiles() {
        try (Stream<Path> s = Files.walk(solana())) {
            return s.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("EXPECTED"))
                    .filter(p -> !p.getFileName().toString().startsWith("expected_"))
                    .filter(p -> !p.toString().contains("manifest"))
                    .filter(p -> !p.getFileName().toString().contains("client-block_transaction_"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The six complete real blocks (base64 and base58), sorted. */
    public static List<Path> fullBlocks() {
        return getBlockFiles().stream()
                .filter(p -> p.getFileName().toString().startsWith("block_"))
                .toList();
    }

    public static Path solana(String relative) {
        return solana().resolve(relative);
    }
}
