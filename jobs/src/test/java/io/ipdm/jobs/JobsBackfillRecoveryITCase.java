package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.solana.archive.FaithfulIndex;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.testing.FailOnce;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.RecoveryRuns;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill interrupted mid-archive resumes without loss or repeat: jobs/backfill-then-live.yaml
 * (without the live part) over a generated archive, parallelism 2 and small splits, gives the same
 * windows as an uninterrupted run after a task failure (restart from the last checkpoint) and after
 * a stop with savepoint and a resume from it. {@link JobsBackfillKillITCase} kills a real {@code
 * ipdm run} process with -9 instead.
 */
class JobsBackfillRecoveryITCase {
    @TempDir static Path shared;
    static Path car;
    static List<String> uninterrupted;

    @BeforeAll
    static void archive() throws Exception {
        List<GetBlockArchive.ArchiveBlock> templates =
                ArchiveGenerator.templates(RealBlocks.devnetBlocks());
        car = shared.resolve("backfill.car");
        ArchiveGenerator.generate(templates, car, 11, 280_000_000L, 40_000);
        uninterrupted = windows(shared.resolve("whole"), RunOptions.defaults(), false);
        assertThat(uninterrupted).hasSizeGreaterThan(50);
    }

    private static List<String> overrides(Path tmp) {
        String src = "sources.txs.options.";
        return List.of(
                "sources.txs.options=",
                src + "path=" + car,
                src + "split_blocks=25",
                "runtime.parallelism=2",
                "runtime.restart.strategy=fixed-delay",
                "runtime.restart.attempts=2",
                "runtime.restart.delay=500ms",
                "sinks.table.kind=jsonl",
                "sinks.table.options=",
                "sinks.table.options.path=" + tmp.resolve("out"),
                "runtime.checkpoint_interval=500ms",
                "runtime.state_dir=" + tmp.resolve("state"));
    }

    private static RunResult run(Path tmp, RunOptions options, boolean failOnce) throws Exception {
        PipelineLoader.Loaded loaded =
                PipelineLoader.load(Path.of("backfill-then-live.yaml"), overrides(tmp), Map.of());
        // the job's !is_vote filter is pushed into the source, which emits only the ~36% of the
        // archive's transactions that are not votes: 3,000 rows is mid-run for subtask 0
        return SyntheticJobRun.runToEnd(
                loaded, tmp, options, failOnce ? FailOnce.afterSource("txs", 3_000) : null);
    }

    private static List<String> windows(Path tmp, RunOptions options, boolean failOnce)
            throws Exception {
        RecoveryRuns.finished(run(tmp, options, failOnce));
        return sorted(tmp);
    }

    private static List<String> sorted(Path tmp) throws Exception {
        return SyntheticJobRun.sorted(SyntheticJobRun.rows(tmp));
    }

    @Test
    void oldFaithfulsOwnIndexesGiveTheSameWindowsWithoutAScan(@TempDir Path tmp) throws Exception {
        // the archive's slots lie in one epoch; its indexes written in Old Faithful's format
        List<Path> indexes =
                FaithfulIndex.write(car, 280_000_000L / 432_000, "mainnet", tmp.resolve("of"));
        Files.createDirectories(tmp.resolve("run"));
        RunResult r =
                SyntheticJobRun.start(
                        Path.of("backfill-then-live.yaml"),
                        "txs",
                        tmp.resolve("run"),
                        List.of(
                                "sources.txs.options=",
                                "sources.txs.options.path=" + car,
                                "sources.txs.options.split_blocks=25",
                                "sources.txs.options.index="
                                        + indexes.get(0)
                                        + ","
                                        + indexes.get(1),
                                "sources.txs.options.index_dir=" + tmp.resolve("no-scan"),
                                "runtime.parallelism=2"),
                        RunOptions.defaults());
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        assertThat(sorted(tmp.resolve("run"))).isEqualTo(uninterrupted);
        assertThat(tmp.resolve("no-scan")).as("no slot index was built").doesNotExist();
    }

    @Test
    void taskFailureMidBackfillRestartsWithoutLossOrRepeat(@TempDir Path tmp) throws Exception {
        FailOnce.arm();
        assertThat(windows(tmp, RunOptions.defaults(), true)).isEqualTo(uninterrupted);
        assertThat(FailOnce.failed()).isTrue();
    }

    @Test
    void stopWithSavepointAndResumeEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
        // false when the machine read the whole archive before the stop: nothing to resume
        RecoveryRuns.stopAndResume(o -> run(tmp, o, false), Duration.ofSeconds(6));
        assertThat(sorted(tmp)).isEqualTo(uninterrupted);
    }
}
