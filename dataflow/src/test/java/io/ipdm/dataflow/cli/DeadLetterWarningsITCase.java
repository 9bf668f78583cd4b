package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.testutils.DeadLetterPipeline;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead letters that nothing reads are not silently dropped: {@code ipdm validate} and {@code ipdm
 * run} warn at the stage's {@code on_failure} (file:line:column), and the run reports how many rows
 * went to dead-letter streams ({@link DeadLetterPipeline}: 12 rows fail).
 */
class DeadLetterWarningsITCase extends CommandLineTest {
    private static Path pipeline(Path tmp, boolean readDeadLetters) throws Exception {
        return DeadLetterPipeline.write(tmp, readDeadLetters);
    }

    @Test
    void validateWarnsWhenNoSinkReadsTheDeadLetters(@TempDir Path tmp) throws Exception {
        Path yaml = pipeline(tmp, false);
        assertThat(run("validate", yaml.toString())).isZero();
        assertThat(err.toString())
                .isEqualTo(
                        "warning: "
                                + yaml
                                + ":17:37: stages.doubled.options.on_failure: failed rows go to the"
                                + " dead-letter stream 'doubled_dead_letters' but no sink or stage"
                                + " reads it, so they are dropped (ipdm run counts them); add a"
                                + " sink with input: doubled_dead_letters\n");
        assertThat(out.toString()).startsWith("ok ");
    }

    @Test
    void deadLettersWithoutTheDeadLetterPolicyIsRefused(@TempDir Path tmp) throws Exception {
        Path yaml = pipeline(tmp, false);
        assertThat(
                        run(
                                "validate",
                                yaml.toString(),
                                "--set",
                                "stages.doubled.options.on_failure=fail",
                                "--set",
                                "stages.doubled.options.dead_letters=bad"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "stages.doubled.options.dead_letters: dead_letters names the stream of"
                                + " failed rows, and on_failure is fail (no rows go there); set"
                                + " on_failure: dead_letter or drop dead_letters");
    }

    @Test
    void noWarningWhenASinkReadsThem(@TempDir Path tmp) throws Exception {
        assertThat(run("validate", pipeline(tmp, true).toString())).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void runWarnsAndReportsTheDeadLetterCount(@TempDir Path tmp) throws Exception {
        Path yaml = pipeline(tmp, false);
        assertThat(run("run", "-q", yaml.toString())).as(err.toString()).isZero();
        assertThat(err.toString().lines().toList())
                .containsExactly(
                        "warning: "
                                + yaml
                                + ":17:37: stages.doubled.options.on_failure: failed rows go to the"
                                + " dead-letter stream 'doubled_dead_letters' but no sink or stage"
                                + " reads it, so they are dropped (ipdm run counts them); add a"
                                + " sink with input: doubled_dead_letters",
                        "ipdm: 12 rows went to dead-letter streams (WASM batches that failed;"
                                + " each row carries the error in wasm_error)");
    }
}
