package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.testing.FailOnce;
import io.ipdm.jobs.testutils.ArchiveHttpServer;
import io.ipdm.jobs.testutils.HandOffChain;
import io.ipdm.jobs.testutils.RecoveryRuns;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archive then live, interrupted: a task fails during the backfill, at the switch (the first live
 * getBlock fails) and after it (a later one fails), and the job restarts from its last checkpoint
 * (parallelism 2, checkpoints every 200 ms, the archive read over HTTP and the live blocks served
 * slowly enough that checkpoints fall on both sides of the switch). Every slot is counted exactly
 * once and the per-program windows equal one getBlock replay of all blocks. A restart after the
 * switch from a checkpoint taken before it used to fail with Flink's "Split
 * HybridSourceSplit{sourceIndex=1, splitId=rpc} while current source is 0" on every attempt (see
 * RpcSplitRequest). An unreachable live endpoint fails the job, after the restart strategy's
 * attempts, with the endpoint, the call and what to do, not with Flink's split message.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class JobsHandOffRecoveryITCase {
    @TempDir static Path shared;
    static HandOffChain chain;
    static List<String> windows;
    static Map<Long, Long> slots;

    @BeforeAll
    static void replay() throws Exception {
        chain = HandOffChain.generate(shared, 7, 12_000, 60);
        assertThat(chain.liveSlots()).hasSizeGreaterThan(80);
        Path dir = shared.resolve("replay");
        RecoveryRuns.finished(
                run(dir, "solana-replay", "{path: \"" + chain.all() + "\"}", 1, null));
        windows = RecoveryRuns.rows(dir.resolve("out/windows"));
        slots = RecoveryRuns.perSlot(dir.resolve("out/slots"));
        assertThat(windows).hasSizeGreaterThan(20);
    }

    private static String handOff(ArchiveHttpServer http, String rpcUrl) {
        return "{path: \""
                + http.archiveUrl()
                + "\", split_blocks: 20, read_size: 65536, then_live: \""
                + rpcUrl
                + "\", live_end_slot: "
                + chain.end()
                + ", live_poll_interval: 50ms}";
    }

    /**
     * The job from {@code kind} and {@code options}, checkpoints every 200 ms, up to {@code
     * attempts} attempts 200 ms apart, run to its end in {@code dir}.
     */
    private static RunResult run(
            Path dir, String kind, String options, int attempts, UnaryOperator<TypedStream> tap)
            throws Exception {
        Path job =
                RecoveryRuns.writeJob(
                        dir,
                        "hand-off-recovery",
                        kind,
                        options,
                        "200ms",
                        "{strategy: fixed-delay, attempts: " + attempts + ", delay: 200ms}");
        return RecoveryRuns.run(job, dir, tap);
    }

    /** Runs the hand-off with {@code http} serving archive and live blocks; checks the output. */
    private static void assertResumesExactlyOnce(
            Path tmp, ArchiveHttpServer http, UnaryOperator<TypedStream> tap) throws Exception {
        RecoveryRuns.finished(run(tmp, "old-faithful", handOff(http, http.rpcUrl()), 3, tap));
        assertThat(RecoveryRuns.perSlot(tmp.resolve("out/slots")))
                .as("every slot once")
                .isEqualTo(slots);
        assertThat(RecoveryRuns.rows(tmp.resolve("out/windows"))).isEqualTo(windows);
    }

    private static ArchiveHttpServer server() throws Exception {
        return chain.serveLive(
                new ArchiveHttpServer()
                        .serve(chain.car())
                        .delayRanges(Duration.ofMillis(15))
                        .delayBlocks(Duration.ofMillis(15)));
    }

    @Test
    void taskFailureDuringTheBackfill(@TempDir Path tmp) throws Exception {
        FailOnce.arm();
        try (ArchiveHttpServer http = server()) {
            // subtask 0 reads about 40% of the archive's rows: 1,000 is mid-backfill
            assertResumesExactlyOnce(tmp, http, FailOnce.afterSource("txs", 1_000));
            assertThat(FailOnce.failed()).isTrue();
        }
    }

    @Test
    void liveFailureAtTheSwitch(@TempDir Path tmp) throws Exception {
        try (ArchiveHttpServer http = server().failBlocks(0, 1)) {
            assertResumesExactlyOnce(tmp, http, null);
            assertThat(http.failedBlockRequests.get()).isEqualTo(1);
        }
    }

    @Test
    void liveFailureAfterTheSwitch(@TempDir Path tmp) throws Exception {
        try (ArchiveHttpServer http = server()) {
            http.failBlocks(chain.liveSlots().size() * 2L / 3, 1);
            assertResumesExactlyOnce(tmp, http, null);
            assertThat(http.failedBlockRequests.get()).isEqualTo(1);
        }
    }

    @Test
    void unreachableLiveEndpointSaysSoAfterTheRestarts(@TempDir Path tmp) throws Exception {
        String url;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            url = "http://127.0.0.1:" + s.getLocalPort() + "/rpc"; // closed below: refused
        }
        try (ArchiveHttpServer http = new ArchiveHttpServer().serve(chain.car())) {
            RunResult r = run(tmp, "old-faithful", handOff(http, url), 1, null);
            assertThat(r.outcome()).isEqualTo(RunResult.Outcome.FAILED);
            assertThat(r.failure().getMessage())
                    .contains(url)
                    .contains("getSlot")
                    .contains("connection refused")
                    .doesNotContain("HybridSourceSplit");
        }
    }
}
