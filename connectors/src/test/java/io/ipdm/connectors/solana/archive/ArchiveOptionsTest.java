package io.ipdm.connectors.solana.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each {@code with...} changes its own components, keeps the rest and runs the checks. */
class ArchiveOptionsTest {
    private static final ArchiveOptions TUNED =
            ArchiveOptions.of(List.of("a.car"))
                    .with(
                            "idx",
                            40,
                            3,
                            Duration.ofMillis(50),
                            Duration.ofSeconds(9),
                            ArchiveOptions.Prefetch.ON,
                            65536);

    @Test
    void withChangesOnlyTheReadSettings() {
        ArchiveOptions d = ArchiveOptions.of(List.of("a.car"));
        assertThat(TUNED)
                .isEqualTo(
                        new ArchiveOptions(
                                List.of("a.car"),
                                null,
                                null,
                                List.of(),
                                "idx",
                                40,
                                3,
                                Duration.ofMillis(50),
                                d.maxBackoff(),
                                Duration.ofSeconds(9),
                                ArchiveOptions.Prefetch.ON,
                                d.prefetchFastRead(),
                                65536,
                                d.maxSectionBytes(),
                                List.of()));
    }

    @Test
    void withLakeReplacesTheLocationsAndKeepsTheReadSettings() {
        ArchiveOptions lake = TUNED.withLake("bafyroot", "/lake", List.of("/ip4/127.0.0.1/tcp/1"));
        assertThat(lake.locations()).isEmpty();
        assertThat(lake.cid()).isEqualTo("bafyroot");
        assertThat(lake.lakeDir()).isEqualTo("/lake");
        assertThat(lake.peers()).containsExactly("/ip4/127.0.0.1/tcp/1");
        assertThat(List.of(lake.indexDir(), lake.splitBlocks(), lake.chunkBytes()))
                .isEqualTo(List.of("idx", 40, 65536));
    }

    @Test
    void withFaithfulIndexesKeepsTheRestAndChecksThem() {
        ArchiveOptions indexed = TUNED.withFaithfulIndexes(List.of("s.index", "c.index"));
        assertThat(indexed.faithfulIndexes()).containsExactly("s.index", "c.index");
        assertThat(indexed.splitBlocks()).isEqualTo(40);
        assertThatThrownBy(
                        () ->
                                TUNED.withLake("bafyroot", "/lake", List.of())
                                        .withFaithfulIndexes(List.of("s.index")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("describe one archive");
        assertThatThrownBy(
                        () ->
                                TUNED.with(
                                        null,
                                        0,
                                        1,
                                        Duration.ZERO,
                                        Duration.ZERO,
                                        ArchiveOptions.Prefetch.OFF,
                                        4096))
                .hasMessage("split_blocks must be >= 1");
    }
}
