package io.ipdm.jobs.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What the tests that interrupt a job and check it resumes without loss or repeat share (a task
 * failure and a restart from a checkpoint, a stop with savepoint and a resume, {@code kill -9} of
 * an {@code ipdm run} process through {@code IpdmProcess} and a restart from its latest
 * checkpoint): one job that counts non-vote transactions per program and minute and every
 * transaction per slot, a run of it to its end, and what it committed read back so that an
 * interrupted run compares with an uninterrupted one.
 */
public final class RecoveryRuns {
    private RecoveryRuns() {}

    /** A run: the job with these options (a stop, a savepoint to resume from) to its end. */
    @FunctionalInterface
    public interface Run {
        RunResult run(RunOptions options) throws Exception;
    }

    /**
     * Writes {@code dir/job.yaml}: source {@code txs} of {@code kind} with {@code options} (a YAML
     * flow map) read by block time; per-program windows ({@code txs}, {@code fees}) to {@code
     * dir/out/windows} and per-slot counts ({@code txs}) to {@code dir/out/slots}, JSON Lines;
     * parallelism 2, state in {@code dir/state}, checkpoints every {@code checkpointInterval} and
     * {@code restart} (a YAML flow map) as the restart strategy.
     *
     * @return the job file
     */
    public static Path writeJob(
            Path dir,
            String name,
            String kind,
            String options,
            String checkpointInterval,
            String restart)
            throws Exception {
        Files.createDirectories(dir);
        String yaml =
                """
                name: %1$s
                event_time: {field: block_time, unit: seconds, max_out_of_orderness: 10s}
                sources:
                  - id: txs
                    kind: %2$s
                    table: transactions
                    options: %3$s
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
                  - {id: windows, kind: jsonl, input: per_minute, options: {path: "%4$s/windows"}}
                  - {id: slots, kind: jsonl, input: per_slot, options: {path: "%4$s/slots"}}
                runtime:
                  parallelism: 2
                  checkpoint_interval: %5$s
                  state_dir: "%6$s"
                  restart: %7$s
                """
                        .formatted(
                                name,
                                kind,
                                options,
                                dir.resolve("out"),
                                checkpointInterval,
                                dir.resolve("state"),
                                restart);
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, yaml);
        return job;
    }

    /**
     * Runs {@code job} in this JVM to its end, {@code tap} (when not null) applied to its source as
     * {@code FailOnce.afterSource} taps it.
     */
    public static RunResult run(Path job, Path dir, UnaryOperator<TypedStream> tap)
            throws Exception {
        return SyntheticJobRun.runToEnd(
                PipelineLoader.load(job, List.of(), Map.of()), dir, RunOptions.defaults(), tap);
    }

    /** Asserts the run finished, saying its failure if not. */
    public static RunResult finished(RunResult r) {
        assertThat(r.outcome())
                .as("failure: %s", r.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        return r;
    }

    /** The rows committed under {@code out}, sorted; none when nothing was written there yet. */
    public static List<String> rows(Path out) throws Exception {
        return Files.isDirectory(out)
                ? SyntheticJobRun.sorted(SyntheticJobRun.committed(out))
                : List.of();
    }

    /**
     * Transactions per slot from the per-slot counts committed under {@code out}; a slot counted
     * twice fails the test.
     */
    public static Map<Long, Long> perSlot(Path out) throws Exception {
        Map<Long, Long> counted = new TreeMap<>();
        for (JsonNode n : SyntheticJobRun.committed(out)) {
            assertThat(counted.put(n.get("slot").asLong(), n.get("txs").asLong()))
                    .as("slot %s counted once", n.get("slot"))
                    .isNull();
        }
        return counted;
    }

    /**
     * Runs with a stop (and a savepoint) after {@code stopAfter}, then resumes from that savepoint
     * to the end; asserts both ran as they should.
     *
     * @return false when the first run finished before the stop came: nothing was resumed
     */
    public static boolean stopAndResume(Run run, Duration stopAfter) throws Exception {
        RunResult first = run.run(RunOptions.defaults().withStopAfter(stopAfter));
        if (first.outcome() == RunResult.Outcome.FINISHED) {
            return false;
        }
        assertThat(first.outcome())
                .as("failure: %s", first.failure())
                .isEqualTo(RunResult.Outcome.STOPPED);
        assertThat(first.savepoint()).isNotNull();
        finished(run.run(RunOptions.defaults().withFromSavepoint(first.savepoint())));
        return true;
    }
}
