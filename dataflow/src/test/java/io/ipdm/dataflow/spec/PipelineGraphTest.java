package io.ipdm.dataflow.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One graph for the validator, the field usage and the compiler: producers, readers, order. */
class PipelineGraphTest {
    static final String PIPELINE =
            """
            name: g
            event_time: {field: block_time, unit: seconds}
            sources:
              - {id: txs, kind: solana-synthetic, table: transactions}
            stages:
              - id: w
                kind: window
                input: txs
                window: {type: tumbling, size: 1m, late_output: late}
                aggregates: [{fn: count}]
              - {id: x, kind: wasm, input: txs, module: m, function: f, options: {on_failure: dead_letter}}
              - {id: y, kind: wasm, input: txs, module: m, function: f, options: {on_failure: dead_letter, dead_letters: bad}}
              - {id: z, kind: wasm, input: txs, module: m, function: f}
              - {id: lf, kind: filter, input: late, where: "fee > 0"}
            sinks:
              - {id: o1, kind: terminal, input: w}
              - {id: o2, kind: terminal, input: lf}
              - {id: o3, kind: terminal, input: x_dead_letters}
              - {id: o4, kind: terminal, input: bad}
            modules:
              - {id: m, path: m.wasm}
            """;

    @Test
    void sideOutputsAreProducersWithTheirOwnerAndKind() {
        PipelineGraph g = PipelineLoader.parse(PIPELINE, "g.yaml", List.of(), Map.of()).graph();
        assertThat(g.producers().keySet())
                .containsExactly("txs", "w", "x", "y", "z", "lf", "late", "x_dead_letters", "bad");
        PipelineGraph.SideOutput late = (PipelineGraph.SideOutput) g.producer("late");
        assertThat(late.kind()).isEqualTo(PipelineGraph.SideKind.LATE_ROWS);
        assertThat(late.owner().id()).isEqualTo("w");
        assertThat(late.upstream()).isEqualTo("w");
        PipelineGraph.SideOutput dead = (PipelineGraph.SideOutput) g.producer("x_dead_letters");
        assertThat(dead.kind()).isEqualTo(PipelineGraph.SideKind.DEAD_LETTERS);
        assertThat(dead.owner().id()).isEqualTo("x");
        assertThat(((PipelineGraph.SideOutput) g.producer("bad")).owner().id()).isEqualTo("y");
        // without on_failure: dead_letter, z has no dead-letter stream
        assertThat(g.producer("z_dead_letters")).isNull();
        assertThat(g.sideOutputsOf("w")).containsExactly(late);
        assertThat(g.sinksReading("x_dead_letters")).hasSize(1);
        assertThat(g.stagesReading("late")).extracting(StageSpec::id).containsExactly("lf");
        assertThat(g.rootSource("lf").id()).isEqualTo("txs");
    }

    @Test
    void orderPutsEveryProducerAfterTheStreamItReads() {
        PipelineGraph g = PipelineLoader.parse(PIPELINE, "g.yaml", List.of(), Map.of()).graph();
        List<String> order = g.order().stream().map(PipelineGraph.Producer::id).toList();
        assertThat(order).hasSize(9);
        for (PipelineGraph.Producer p : g.order()) {
            if (p.upstream() != null) {
                assertThat(order.indexOf(p.upstream())).isLessThan(order.indexOf(p.id()));
            }
        }
        assertThat(g.unreachable()).isEmpty();
        assertThat(g.cycles()).isEmpty();
    }

    @Test
    void readingDeadLettersOfAStageThatFailsTheJobSaysWhy() {
        assertThatThrownBy(
                        () ->
                                PipelineLoader.parse(
                                        PIPELINE.replace("input: bad}", "input: z_dead_letters}"),
                                        "g.yaml",
                                        List.of(),
                                        Map.of()))
                .hasMessage(
                        "g.yaml:19:37: sinks.o4.input: unknown input 'z_dead_letters'; known ids:"
                                + " txs, w, x, y, z, lf, late, x_dead_letters, bad; stage 'z' emits"
                                + " its dead letters only with options.on_failure: dead_letter");
    }

    @Test
    void aDeadLetterStreamMayNotReuseAnId() {
        assertThatThrownBy(
                        () ->
                                PipelineLoader.parse(
                                        PIPELINE.replace("dead_letters: bad", "dead_letters: w"),
                                        "g.yaml",
                                        List.of(),
                                        Map.of()))
                .hasMessage(
                        "g.yaml:12:110: stages.y.options.dead_letters: id 'w' is already used by"
                                + " another source or stage\n"
                                + "g.yaml:19:37: sinks.o4.input: unknown input 'bad'; known ids: txs,"
                                + " w, x, y, z, lf, late, x_dead_letters");
    }
}
