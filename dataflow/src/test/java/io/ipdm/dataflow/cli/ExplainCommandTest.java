package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.testutils.SharedData;
import org.junit.jupiter.api.Test;

class ExplainCommandTest extends CommandLineTest {
    private static String data() {
        return SharedData.solana("photon-getblock-base64").toString();
    }

    private String[] replay(String... extra) {
        String[] base = {
            "explain",
            "../jobs/solana-program-activity.yaml",
            "--set",
            "sources.txs.kind=solana-replay",
            "--set",
            "sources.txs.options=",
            "--set",
            "sources.txs.options.path=" + data()
        };
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void textListsOperatorsWithUidsFromStageIds() {
        assertThat(run(replay())).isEqualTo(0);
        assertThat(out.toString())
                .contains("uid txs-source")
                .contains("uid non_vote-filter")
                .contains("uid per_program-explode")
                .contains("uid flagged-project")
                .contains("uid per_minute-window")
                .contains("pre-aggregate per_minute per 1m")
                .contains("uid per_minute-combine")
                .contains("\n    pre-aggregated per key and 1m pane\n")
                .contains("uid sink-table")
                // the replay source decodes only the fields the job reads (projection push-down)
                .contains("Source: txs reading [block_time, success, program_ids, is_vote]")
                // the project stage computes only the columns the window reads: no keep after it
                .contains("flagged: project program_id, failed")
                .doesNotContain("flagged: keep")
                .doesNotContain("non_vote: keep")
                .contains(
                        "per_program: explode program_ids as program_id keeping [success, program_id]")
                .contains(
                        "per_minute   (program_id String, window_start Long, window_end Long, txs Long, failed Long, failure_rate Double)");
    }

    @Test
    void windowsShowShapeKeysAggregatesWatermarkAndLateRows() {
        assertThat(run("explain", "../jobs/solana-program-cu-quantiles.yaml")).isEqualTo(0);
        assertThat(out.toString())
                .contains("\nwindows\n  cu: hopping size 5m slide 1m\n")
                .contains("    key [program_id]\n")
                .contains(
                        "    not pre-aggregated: exact quantiles, count_distinct and top_k keep every"
                                + " row in the window\n")
                .contains(
                        "    aggregates txs = count(*), cu = quantiles(compute_units, [0.5, 0.9,"
                                + " 0.99]) exact, cu_approx = quantiles(compute_units, [0.5, 0.9,"
                                + " 0.99]) approximate\n")
                .contains("    watermark block_time (seconds), out-of-orderness 5s, idle timeout")
                .contains(
                        "    late rows: allowed lateness 0s, then dropped and counted (warned at"
                                + " the end of a run)\n");
    }

    @Test
    void preAggregationCanBeTurnedOff() {
        assertThat(run(replay("--set", "runtime.pre_aggregate=false"))).isEqualTo(0);
        assertThat(out.toString())
                .contains("\n    not pre-aggregated: turned off\n")
                .doesNotContain("combine");
    }

    @Test
    void dotIsAGraphvizDigraph() {
        assertThat(run(replay("--format", "dot"))).isEqualTo(0);
        assertThat(out.toString())
                .startsWith("digraph \"solana-program-activity\" {")
                .contains(" -> ")
                .endsWith("}\n");
    }

    @Test
    void uidsSurviveEditsThatKeepIds() {
        assertThat(run(replay())).isEqualTo(0);
        String before = uids(out.toString());
        out.getBuffer().setLength(0);
        assertThat(
                        run(
                                replay(
                                        "--set",
                                        "stages.non_vote.where=!is_vote && fee > 0",
                                        "--set",
                                        "runtime.parallelism=1")))
                .isEqualTo(0);
        assertThat(uids(out.toString())).isEqualTo(before);
    }

    private static String uids(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            int i = line.indexOf(" uid ");
            if (i >= 0) {
                b.append(line.substring(i + 5).split(" ")[0]).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void compileErrorExitsTwo() {
        data();
        assertThat(run(replay("--set", "stages.non_vote.where=fees > 1"))).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "--set stages.non_vote.where: stages.non_vote.where: invalid expression 'fees > 1': unknown field 'fees'");
    }
}
