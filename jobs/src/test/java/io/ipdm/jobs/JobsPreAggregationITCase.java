package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.JobComparison;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example job in jobs/ whose window is pre-aggregated before its shuffle (its graph has a
 * {@code STAGE-combine} operator) writes the same window rows with pre-aggregation as with {@code
 * runtime.pre_aggregate: false}: on the synthetic chain, and on the six real blocks of
 * ../shared/data/solana (skipped with a message when they are absent).
 */
class JobsPreAggregationITCase {
    /**
     * The example jobs on one synthetic source that have a pre-aggregated window, and the source.
     */
    static List<Object[]> preAggregatedJobs() throws IOException {
        List<Object[]> jobs = new ArrayList<>();
        Path base = Files.createTempDirectory("preagg-jobs");
        for (Path f : JobComparison.jobFiles()) {
            PipelineLoader.Loaded loaded = PipelineLoader.load(f, List.of(), Map.of());
            List<SourceSpec> sources = loaded.spec().sources();
            if (sources.size() != 1 || !sources.get(0).kind().equals("solana-synthetic")) {
                continue;
            }
            for (StreamNode n : CompiledPipeline.compile(loaded, base).graph().getStreamNodes()) {
                if (String.valueOf(n.getTransformationUID()).endsWith("-combine")) {
                    jobs.add(new Object[] {f.getFileName().toString(), sources.get(0).id()});
                    break;
                }
            }
        }
        return jobs;
    }

    @Test
    void theMainJobsArePreAggregated() throws IOException {
        assertThat(preAggregatedJobs())
                .extracting(j -> j[0])
                .contains(
                        "solana-program-activity.yaml",
                        "solana-top-fee-payers.yaml",
                        "solana-custom-failures.yaml",
                        "solana-dex-volume.yaml")
                .doesNotContain(
                        "solana-payer-sessions.yaml", // session windows
                        "solana-mint-activity.yaml", // exact count_distinct keeps rows
                        "solana-cu-price.yaml"); // a WebAssembly aggregate
    }

    static List<String> rows(String job, String source, Path tmp, List<String> overrides)
            throws Exception {
        return SyntheticJobRun.sorted(SyntheticJobRun.run(Path.of(job), source, tmp, overrides));
    }

    static void assertSameRows(String job, String source, Path tmp, List<String> overrides)
            throws Exception {
        List<String> off = new ArrayList<>(overrides);
        off.add("runtime.pre_aggregate=false");
        List<String> without = rows(job, source, tmp.resolve("off"), off);
        List<String> with = rows(job, source, tmp.resolve("on"), overrides);
        assertThat(with).as(job).isNotEmpty().isEqualTo(without);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preAggregatedJobs")
    void syntheticChainSameWindows(String job, String source, @TempDir Path tmp) throws Exception {
        assertSameRows(job, source, tmp, List.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preAggregatedJobs")
    void realBlocksSameWindows(String job, String source, @TempDir Path tmp) throws Exception {
        assertSameRows(job, source, tmp, RealBlocks.replay(source));
    }
}
