package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which compiled pipelines {@link FinalCheckpoint} watches: those whose sources all may end. A
 * synthetic source with a duration is bounded; without one it never ends, and neither does a job
 * that reads it next to a bounded one.
 */
class FinalCheckpointTest {
    private static final String BOUNDED =
            "{id: %s, kind: solana-synthetic, table: transactions, options: {duration: 1m}}";
    private static final String UNBOUNDED =
            "{id: %s, kind: solana-synthetic, table: transactions, options: {seed: 1}}";

    @Test
    void onlyJobsWhoseSourcesAllEndAreWatched(@TempDir Path tmp) throws Exception {
        assertThat(mayEnd(tmp, BOUNDED.formatted("a"))).isTrue();
        assertThat(mayEnd(tmp, BOUNDED.formatted("a"), BOUNDED.formatted("b"))).isTrue();
        assertThat(mayEnd(tmp, UNBOUNDED.formatted("a"))).isFalse();
        assertThat(mayEnd(tmp, BOUNDED.formatted("a"), UNBOUNDED.formatted("b"))).isFalse();
    }

    /** Compiles a pipeline with these sources, each into its own jsonl sink. */
    private static boolean mayEnd(Path tmp, String... sources) {
        StringBuilder yaml = new StringBuilder("name: p\nsources:\n");
        for (String s : sources) {
            yaml.append("  - ").append(s).append('\n');
        }
        yaml.append("sinks:\n");
        for (int i = 0; i < sources.length; i++) {
            String id = i == 0 ? "a" : "b";
            yaml.append(
                    "  - {id: out_%s, kind: jsonl, input: %s, options: {path: %s}}\n"
                            .formatted(id, id, tmp.resolve(id)));
        }
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(yaml.toString(), "p.yaml", List.of(), Map.of());
        return FinalCheckpoint.mayEnd(CompiledPipeline.compile(loaded, tmp).graph());
    }
}
