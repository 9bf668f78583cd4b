package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.jobs.testutils.ArchiveHttpServer;
import io.ipdm.jobs.testutils.HandOffChain;
import io.ipdm.jobs.testutils.JobComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/backfill-then-live.yaml over a generated chain of consecutive slots (the four small real
 * devnet blocks as templates, about 1 slot in 20 skipped): the first 60% of its blocks in an Old
 * Faithful archive, the rest served by a local JSON-RPC server. The windows equal one getBlock
 * replay of every block, the live source asks for every slot after the archive's last exactly once
 * and for none before, and the watermark (10 s out-of-orderness) carries across the hand-off.
 */
class JobsHandOffITCase {
    @Test
    void archiveThenLiveEqualsOneReplay(@TempDir Path tmp) throws Exception {
        HandOffChain chain = HandOffChain.generate(tmp, 7, 12_000, 60);
        try (Stream<Path> files = Files.list(chain.all())) {
            assertThat(files.count()).isGreaterThan(200);
        }
        long archiveLast = chain.archiveLast();
        long end = chain.end();
        try (ArchiveHttpServer rpc = chain.serveLive(new ArchiveHttpServer())) {
            String src = "sources.txs";
            List<String> replay =
                    JobComparison.windows(
                            Path.of("backfill-then-live.yaml"),
                            "txs",
                            tmp.resolve("replay"),
                            List.of(
                                    src + ".kind=solana-replay",
                                    src + ".options=",
                                    src + ".options.path=" + chain.all()));
            List<String> handOff =
                    JobComparison.windows(
                            Path.of("backfill-then-live.yaml"),
                            "txs",
                            tmp.resolve("hand-off"),
                            List.of(
                                    src + ".options=",
                                    src + ".options.path=" + chain.car(),
                                    src + ".options.split_blocks=40",
                                    src + ".options.then_live=" + rpc.rpcUrl(),
                                    src + ".options.live_end_slot=" + end,
                                    src + ".options.live_commitment=confirmed",
                                    src + ".options.live_poll_interval=50ms"));
            assertThat(replay).hasSizeGreaterThan(20);
            assertThat(handOff).isEqualTo(replay);

            Set<Long> expected = new TreeSet<>();
            for (long s = archiveLast + 1; s <= end; s++) {
                expected.add(s);
            }
            assertThat(new TreeSet<>(rpc.requestedSlots))
                    .as("live asks for every slot after the archive's last, and none before")
                    .isEqualTo(expected);
            assertThat(rpc.blockRequests.get()).as("each slot once").isEqualTo(expected.size());
        }
    }
}
