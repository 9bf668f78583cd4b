package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.dataflow.testing.IpdmProcess;
import io.ipdm.jobs.testutils.ArchiveHttpServer;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.RecoveryRuns;
import java.nio.file.Path;
import java.time.Duration;
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
    /** The job reading the archive at {@code path}, small splits, checkpoints every 500 ms. */
    private static Path write(Path dir, String path, Path index) throws Exception {
        return RecoveryRuns.writeJob(
                dir,
                "backfill-kill",
                "old-faithful",
                "{path: \""
                        + path
                        + "\", split_blocks: 10, read_size: 65536, index_dir: \""
                        + index
                        + "\"}",
                "500ms",
                "{strategy: none}");
    }

    @Test
    void killedMidBackfillAndRestartedCountsEverySlotOnce(@TempDir Path tmp) throws Exception {
        List<GetBlockArchive.ArchiveBlock> templates =
                ArchiveGenerator.templates(RealBlocks.devnetBlocks().subList(0, 3));
        Path car = tmp.resolve("backfill.car");
        GetBlockArchive.Summary archive =
                ArchiveGenerator.generate(templates, car, 7, 290_000_000L, 20_000);
        Map<Long, Long> perSlot = new TreeMap<>();
        for (var b : ArchiveGenerator.plan(templates, 7, 290_000_000L, 20_000)) {
            perSlot.put(b.slot(), (long) templates.get(b.template()).txs().size());
        }

        // the reference: the same job read from the file, in this JVM, without interruption
        Path whole = tmp.resolve("whole");
        RecoveryRuns.finished(
                RecoveryRuns.run(
                        write(whole, car.toString(), tmp.resolve("index-file")), whole, null));
        List<String> windows = RecoveryRuns.rows(whole.resolve("out/windows"));
        List<String> slots = RecoveryRuns.rows(whole.resolve("out/slots"));
        assertThat(windows).hasSizeGreaterThan(20);
        // every slot of the archive, counted once, with its transactions
        assertThat(RecoveryRuns.perSlot(whole.resolve("out/slots")))
                .hasSize((int) archive.blocks())
                .isEqualTo(perSlot);

        try (ArchiveHttpServer http =
                new ArchiveHttpServer().serve(car).delayRanges(Duration.ofMillis(60))) {
            Path killed = tmp.resolve("killed");
            Path job = write(killed, http.archiveUrl(), tmp.resolve("index-http"));
            Path checkpoints = killed.resolve("state/checkpoints");
            IpdmProcess.killMidRun(
                    killed, job, checkpoints, "_archiveBlocks", archive.blocks() / 4);
            assertThat(RecoveryRuns.rows(killed.resolve("out/slots")))
                    .as("the kill came before the end")
                    .hasSizeLessThan(slots.size());
            IpdmProcess.restart(killed, job, checkpoints);
            assertThat(RecoveryRuns.rows(killed.resolve("out/slots")))
                    .as("every slot once")
                    .isEqualTo(slots);
            assertThat(RecoveryRuns.rows(killed.resolve("out/windows"))).isEqualTo(windows);
        }
    }
}
