package io.ipdm.dataflow.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --set sources.ID.kind=K} on a job written for another kind: the file's options belong to
 * the old kind and go with it (issue 14's command: {@code --set sources.txs.kind=old-faithful --set
 * sources.txs.options.path=A.car} on the synthetic example job).
 */
class KindOverridesTest {
    private static final String JOB =
            """
            name: j
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 42, duration: 10m, target_rate: 40000}
            sinks:
              - id: out
                kind: terminal
                input: txs
                options: {top: 8, order_by: fee}
            """;

    private static PipelineSpec load(String... sets) {
        return PipelineLoader.parse(JOB, "j.yaml", List.of(sets), Map.of()).spec();
    }

    @Test
    void aSourceKindThatChangesDropsTheOldKindsOptions() {
        PipelineSpec spec =
                load(
                        "sources.txs.kind=old-faithful",
                        "sources.txs.options.path=/data/epoch-800.car");
        assertThat(spec.sources().getFirst().kind()).isEqualTo("old-faithful");
        assertThat(spec.sources().getFirst().options())
                .containsEntry("path", "/data/epoch-800.car")
                .doesNotContainKeys("seed", "duration", "target_rate");
        assertThat(spec.sources().getFirst().table()).isEqualTo("transactions");
    }

    @Test
    void optionsSetBeforeTheKindApplyToTheNewKind() {
        PipelineSpec spec = load("sources.txs.options.path=a.car", "sources.txs.kind=old-faithful");
        assertThat(spec.sources().getFirst().options()).containsEntry("path", "a.car");
    }

    @Test
    void theSameKindKeepsTheFilesOptions() {
        PipelineSpec spec = load("sources.txs.kind=solana-synthetic", "sources.txs.options.seed=7");
        assertThat(spec.sources().getFirst().options())
                .containsEntry("seed", 7L)
                .containsEntry("target_rate", 40000L);
    }

    @Test
    void aSinkKindThatChangesDropsTheOldKindsOptions() {
        PipelineSpec spec = load("sinks.out.kind=jsonl", "sinks.out.options.path=out");
        assertThat(spec.sinks().getFirst().options())
                .containsEntry("path", "out")
                .doesNotContainKeys("top", "order_by");
    }

    @Test
    void optionsTheNewKindLacksAreStillRefusedWhenGivenWithSet() {
        assertThatThrownBy(
                        () ->
                                load(
                                        "sources.txs.kind=old-faithful",
                                        "sources.txs.options.path=a.car",
                                        "sources.txs.options.seed=7"))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("unknown option 'seed'");
    }
}
