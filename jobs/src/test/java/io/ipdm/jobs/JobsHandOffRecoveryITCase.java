package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.testing.FailOnce;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.ArchiveHttpServer;
import io.ipdm.jobs.testutils.HandOffChain;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    private static final String JOB =
            """
            name: hand-off-recovery
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 10s}
            sources:
              - id: txs
                table: transactions
                SOURCE
            stages:
              - {id: non_vote, kind: filter, input: txs, where: "!is_vote"}
              - {id: per_program, kind: explode, input: non_vote, field: program_ids, as: program_id}
              - id: per_minute
                kind: window
                input: per_program
                key_by: [program_id]
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
                  - {name: fees, fn: sum, field: fee}
              - id: per_slot
                kind: window
                input: txs
                key_by: [slot]
                window: {type: tumbling, size: 1m}
                aggregates: [{name: txs, fn: count}]
            sinks:
              - {id: windows, kind: jsonl, input: per_minute, options: {path: "OUT/windows"}}
              - {id: slots, kind: jsonl, input: per_slot, options: {path: "OUT/slots"}}
            runtime:
              parallelism: 2
              checkpoint_interval: 200ms
              state_dir: "STATE"
              restart: {strategy: fixed-delay, attempts: ATTEMPTS, delay: 200ms}
            """;

    @TempDir static Path shared;
    static HandOffChain chain;
    static List<String> windows;
    static Map<Long, Long> slots;

    @BeforeAll
    static void replay() throws Exception {
        chain = HandOffChain.generate(shared, 7, 12_000, 60);
        assertThat(chain.liveSlots()).hasSizeGreaterThan(80);
        Path dir = shared.resolve("replay");
        RunResult r =
                run(
                        dir,
                        "kind: solana-replay\n    options: {path: \"" + chain.all() + "\"}",
                        1,
                        null);
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        windows = rows(dir.resolve("out/windows"));
        slots = perSlot(dir.resolve("out/slots"));
        assertThat(windows).hasSizeGreaterThan(20);
    }

    private static String handOff(ArchiveHttpServer http, String rpcUrl) {
        return "kind: old-faithful\n    options: {path: \""
                + http.archiveUrl()
                + "\", split_blocks: 20, read_size: 65536, then_live: \""
                + rpcUrl
                + "\", live_end_slot: "
                + chain.end()
                + ", live_poll_interval: 50ms}";
    }

    private static RunResult run(
            Path dir, String source, int attempts, UnaryOperator<TypedStream> tap)
            throws Exception {
        Files.createDirectories(dir);
        Path job = dir.resolve("job.yaml");
        Files.writeString(
                job,
                JOB.replace("SOURCE", source)
                        .replace("ATTEMPTS", Integer.toString(attempts))
                        .replace("OUT", dir.resolve("out").toString())
                        .replace("STATE", dir.resolve("state").toString()));
        PipelineLoader.Loaded loaded = PipelineLoader.load(job, List.of(), Map.of());
        CompiledPipeline plan =
                tap == null
                        ? CompiledPipeline.compile(loaded, dir)
                        : CompiledPipeline.compile(loaded, dir, tap);
        try (LocalRunner runner =
                new LocalRunner(plan, RunOptions.defaults().withProgress(false))) {
            runner.start();
            return runner.await();
        }
    }

    private static List<String> rows(Path out) throws Exception {
        List<String> rows = new ArrayList<>();
        for (JsonNode n : SyntheticJobRun.committed(out)) {
            rows.add(n.toString());
        }
        rows.sort(null);
        return rows;
    }

    /** Transactions per slot; a slot's window written twice fails the test. */
    private static Map<Long, Long> perSlot(Path out) throws Exception {
        Map<Long, Long> counted = new TreeMap<>();
        for (JsonNode n : SyntheticJobRun.committed(out)) {
            assertThat(counted.put(n.get("slot").asLong(), n.get("txs").asLong()))
                    .as("slot %s counted once", n.get("slot"))
                    .isNull();
        }
        return counted;
    }

    /** Runs the hand-off with {@code http} serving archive and live blocks; checks the output. */
    private static void assertResumesExactlyOnce(
            Path tmp, ArchiveHttpServer http, UnaryOperator<TypedStream> tap) throws Exception {
        RunResult r = run(tmp, handOff(http, http.rpcUrl()), 3, tap);
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        assertThat(perSlot(tmp.resolve("out/slots"))).as("every slot once").isEqualTo(slots);
        assertThat(rows(tmp.resolve("out/windows"))).isEqualTo(windows);
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
            RunResult r = run(tmp, handOff(http, url), 1, null);
            assertThat(r.outcome()).isEqualTo(RunResult.Outcome.FAILED);
            assertThat(r.failure().getMessage())
                    .contains(url)
                    .contains("getSlot")
                    .contains("connection refused")
                    .doesNotContain("HybridSourceSplit");
        }
    }
}
