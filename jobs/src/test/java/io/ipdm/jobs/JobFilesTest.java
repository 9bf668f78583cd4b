package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.JobComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pipeline file at the top of jobs/ parses, validates and compiles to a Flink graph. A job
 * reading an Old Faithful archive gets one (a real one-block archive, through {@code IPDM_ARCHIVE}
 * as its header says): the archive is checked when the job is, so without it the job is refused.
 */
class JobFilesTest {
    @TempDir static Path tmp;
    private static Map<String, String> env;

    @BeforeAll
    static void archive() throws IOException {
        Path car = tmp.resolve("backfill.car");
        GetBlockArchive.write(
                List.of(
                        new GetBlockArchive.ArchiveBlock(
                                300_000_000L,
                                299_999_999L,
                                "4sGjMW1sUnHzSxGspuhpqLDx6wiyjNtZAMdL4VZHirAn",
                                1_700_000_000L,
                                1L,
                                List.of(),
                                new byte[0])),
                car);
        env = Map.of("IPDM_ARCHIVE", car.toString());
    }

    static List<Path> jobFiles() throws IOException {
        List<Path> files = JobComparison.jobFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobFiles")
    void parsesAndValidates(Path file) {
        PipelineLoader.Loaded loaded = PipelineLoader.load(file, List.of(), env);
        assertThat(loaded.spec().name())
                .isEqualTo(file.getFileName().toString().replace(".yaml", ""));
        Path base = Path.of("target").toAbsolutePath();
        CompiledPipeline plan = CompiledPipeline.compile(loaded, base);
        assertThat(plan.compiled().streams()).containsKeys(loaded.spec().sinks().get(0).input());
    }

    @Test
    void theBackfillJobWithoutItsArchiveSaysWhereArchivesComeFrom() throws Exception {
        // the position of the archive's path option, wherever the job's header puts it
        List<String> lines = Files.readAllLines(Path.of("backfill-then-live.yaml"));
        int line = 1 + lines.indexOf("      path: ${IPDM_ARCHIVE:-backfill.car}");
        assertThat(line).isPositive();
        PipelineLoader.Loaded loaded =
                PipelineLoader.load(Path.of("backfill-then-live.yaml"), List.of(), Map.of());
        Path base = Path.of("target").toAbsolutePath();
        assertThatThrownBy(() -> CompiledPipeline.compile(loaded, base))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith(
                        "backfill-then-live.yaml:"
                                + line
                                + ":13: sources.txs.options.path: no such archive: "
                                + base.resolve("backfill.car")
                                + "; make one from getBlock responses with `ipdm solana to-car");
    }
}
