package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.compile.PipelineCompiler;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.JobComparison;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Predicate push-down changes nothing a job gives: every example job in jobs/ gives the same
 * windows with push-down on and off ({@value PipelineCompiler#PUSHDOWN_PROPERTY}), from getBlock
 * replay of the six real blocks and from the {@code old-faithful} source over an archive converted
 * from them; the rows read (emitted plus dropped in the source) are the same too. A job whose plan
 * pushes nothing (no filter reads a source of transactions alone) is checked to have the same plan
 * both ways.
 */
class JobsPushdownITCase {
    @TempDir static Path shared;
    static Path car;

    @BeforeAll
    static void convert() throws Exception {
        car = JobComparison.realArchive(shared.resolve("real.car"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.ipdm.jobs.testutils.JobComparison#jobFiles")
    void sameWindowsAndRowsReadWithPushdownOnAndOff(Path job, @TempDir Path tmp) throws Exception {
        List<String> ids = JobComparison.solanaSources(job);
        List<String> replay = JobComparison.eachSource(ids, RealBlocks::replay);
        List<String> archive =
                JobComparison.realArchiveSources(
                        ids, car.toString(), shared.resolve("index"), "split_blocks=2");
        String first = ids.get(0);
        for (List<String> sets : List.of(replay, archive)) {
            List<String> on = pushed(job, first, tmp.resolve("plan-on"), sets, true);
            List<String> off = pushed(job, first, tmp.resolve("plan-off"), sets, false);
            assertThat(off).as("no push-down when it is off").isEmpty();
            if (on.isEmpty()) {
                continue; // the same plan both ways
            }
            assertThat(on).allMatch(n -> n.contains(" (pushed down from stage "));
            String what = sets == replay ? "replay" : "archive";
            Run withPushdown = run(job, first, tmp.resolve(what + "-on"), sets, true);
            Run without = run(job, first, tmp.resolve(what + "-off"), sets, false);
            assertThat(withPushdown.windows).isNotEmpty().isEqualTo(without.windows);
            assertThat(withPushdown.rowsRead).isEqualTo(without.rowsRead);
            assertThat(withPushdown.filteredInSources)
                    .as("rows the sources dropped themselves")
                    .isPositive();
            assertThat(without.filteredInSources).isZero();
        }
    }

    /** The operator names of sources with a pushed-down filter, as `ipdm explain` lists them. */
    private static List<String> pushed(
            Path job, String source, Path tmp, List<String> sets, boolean pushdown)
            throws Exception {
        return withPushdown(
                pushdown,
                () -> {
                    PipelineLoader.Loaded loaded =
                            PipelineLoader.load(job, sets(tmp, source, sets), Map.of());
                    List<String> out = new ArrayList<>();
                    for (StreamNode n :
                            CompiledPipeline.compile(loaded, tmp).graph().getStreamNodes()) {
                        String name = n.getOperatorName();
                        if (name.startsWith("Source: ") && name.contains(" where ")) {
                            out.add(name);
                        }
                    }
                    return out;
                });
    }

    private static List<String> sets(Path tmp, String source, List<String> more) {
        String src = "sources." + source + ".options.";
        List<String> sets =
                new ArrayList<>(
                        List.of(
                                src + "duration=3m",
                                "sinks.table.kind=jsonl",
                                "sinks.table.options=",
                                "sinks.table.options.path=" + tmp.resolve("out")));
        sets.addAll(more);
        return sets;
    }

    record Run(List<String> windows, long rowsRead, long filteredInSources) {}

    private static Run run(Path job, String source, Path tmp, List<String> sets, boolean pushdown)
            throws Exception {
        return withPushdown(
                pushdown,
                () -> {
                    RunResult r =
                            SyntheticJobRun.start(job, source, tmp, sets, RunOptions.defaults());
                    assertThat(r.outcome())
                            .as("failure: %s", r.failure())
                            .isEqualTo(RunResult.Outcome.FINISHED);
                    long filtered =
                            r.metrics().filteredInSources().stream().mapToLong(c -> c.rows()).sum();
                    return new Run(
                            JobComparison.comparable(SyntheticJobRun.rows(tmp)),
                            r.metrics().recordsIn(),
                            filtered);
                });
    }

    interface Body<T> {
        T get() throws Exception;
    }

    private static synchronized <T> T withPushdown(boolean on, Body<T> body) throws Exception {
        String was = System.getProperty(PipelineCompiler.PUSHDOWN_PROPERTY);
        System.setProperty(PipelineCompiler.PUSHDOWN_PROPERTY, String.valueOf(on));
        try {
            return body.get();
        } finally {
            if (was == null) {
                System.clearProperty(PipelineCompiler.PUSHDOWN_PROPERTY);
            } else {
                System.setProperty(PipelineCompiler.PUSHDOWN_PROPERTY, was);
            }
        }
    }
}
