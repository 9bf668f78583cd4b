package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.testing.IpdmProcess;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.ArchiveHttpServer;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a backfill: {@code ipdm run} as a real, separate JVM backfills a generated archive
 * over HTTP (range reads answered slowly, as cold storage does, so the run lasts), parallelism 2,
 * small splits, checkpoints every 500 ms. Once it has read a share of the blocks and retained a
 * checkpoint it is killed with {@code kill -9}, then started again with {@code
 * --from-latest-checkpoint}. Every slot's transactions are then counted exactly once (a per-slot
 * count equals the archive's) and the per-program windows equal an uninterrupted run's. The harness
 * ({@link IpdmProcess}) is the one the database sink kill test uses.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class JobsBackfillKillITCase {
    static final String JOB =
            """
            name: backfill-kill
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 10s}
            sources:
              - id: txs
                kind: old-faithful
                table: transactions
                options: {path: "PATH", split_blocks: 10, read_size: 65536, index_dir: "INDEX"}
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
              checkpoint_interval: 500ms
              state_dir: "STATE"
              restart: {strategy: none}
            """;

    private static Path write(Path dir, String path, Path index) throws Exception {
        Files.createDirectories(dir);
        Path job = dir.resolve("job.yaml");
        Files.writeString(
                job,
                JOB.replace("PATH", path)
                        .replace("INDEX", index.toString())
                        .replace("OUT", dir.resolve("out").toString())
                        .replace("STATE", dir.resolve("state").toString()));
        return job;
    }

    private static List<String> rows(Path out) throws Exception {
        List<String> rows = new ArrayList<>();
        if (Files.isDirectory(out)) {
            for (JsonNode n : SyntheticJobRun.committed(out)) {
                rows.add(n.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void killedMidBackfillAndRestartedCountsEverySlotOnce(@TempDir Path tmp) throws Exception {
        Path d = RealBlocks.dir().resolve("photon-getblock-base64");
        List<GetBlockArchive.ArchiveBlock> templates =
                ArchiveGenerator.templates(
                        List.of(
                                d.resolve("block_270893658.json"),
                                d.resolve("block_314167369.json"),
                                d.resolve("block_380876342.json")));
        Path car = tmp.resolve("backfill.car");
        GetBlockArchive.Summary archive =
                ArchiveGenerator.generate(templates, car, 7, 290_000_000L, 20_000);
        Map<Long, Long> perSlot = new TreeMap<>();
        for (var b : ArchiveGenerator.plan(templates, 7, 290_000_000L, 20_000)) {
            perSlot.put(b.slot(), (long) templates.get(b.template()).txs().size());
        }

        // the reference: the same job read from the file, in this JVM, without interruption
        Path whole = tmp.resolve("whole");
        Path wholeJob = write(whole, car.toString(), tmp.resolve("index-file"));
        try (LocalRunner runner =
                new LocalRunner(
                        CompiledPipeline.compile(
                                PipelineLoader.load(wholeJob, List.of(), Map.of()), whole),
                        RunOptions.defaults().withProgress(false))) {
            runner.start();
            RunResult r = runner.await();
            assertThat(r.outcome())
                    .as("failure: %s", r.failure())
                    .isEqualTo(RunResult.Outcome.FINISHED);
        }
        List<String> windows = rows(whole.resolve("out/windows"));
        List<String> slots = rows(whole.resolve("out/slots"));
        assertThat(windows).hasSizeGreaterThan(20);
        // every slot of the archive, counted once, with its transactions
        Map<Long, Long> counted = new TreeMap<>();
        for (JsonNode n : SyntheticJobRun.committed(whole.resolve("out/slots"))) {
            assertThat(counted.put(n.get("slot").asLong(), n.get("txs").asLong())).isNull();
        }
        assertThat(counted).hasSize((int) archive.blocks()).isEqualTo(perSlot);

        try (ArchiveHttpServer http =
                new ArchiveHttpServer().serve(car).delayRanges(Duration.ofMillis(60))) {
            Path killed = tmp.resolve("killed");
            Path job = write(killed, http.archiveUrl(), tmp.resolve("index-http"));
            Path checkpoints = killed.resolve("state/checkpoints");
            IpdmProcess.killMidRun(
                    killed, job, checkpoints, "_archiveBlocks", archive.blocks() / 4);
            assertThat(rows(killed.resolve("out/slots")))
                    .as("the kill came before the end")
                    .hasSizeLessThan(slots.size());
            IpdmProcess.restart(killed, job, checkpoints);
            assertThat(rows(killed.resolve("out/slots"))).as("every slot once").isEqualTo(slots);
            assertThat(rows(killed.resolve("out/windows"))).isEqualTo(windows);
        }
    }
}
