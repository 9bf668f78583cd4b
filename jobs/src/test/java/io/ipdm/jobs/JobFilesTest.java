package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pipeline file at the top of jobs/ parses, validates and compiles to a Flink graph. */
class JobFilesTest {
    static Stream<Path> jobFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("."))) {
            List<Path> files =
                    s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
            assertThat(files).hasSizeGreaterThanOrEqualTo(3);
            return files.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobFiles")
    void parsesAndValidates(Path file) {
        PipelineLoader.Loaded loaded = PipelineLoader.load(file, List.of(), Map.of());
        assertThat(loaded.spec().name())
                .isEqualTo(file.getFileName().toString().replace(".yaml", ""));
        Path base = Path.of("target").toAbsolutePath();
        CompiledPipeline plan = CompiledPipeline.compile(loaded, base);
        assertThat(plan.compiled().streams()).containsKeys(loaded.spec().sinks().get(0).input());
    }
}
