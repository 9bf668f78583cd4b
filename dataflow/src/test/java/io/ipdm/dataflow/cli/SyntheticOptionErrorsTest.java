package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The synthetic source's out-of-range options are reported at the option itself by its YAML name
 * (they named the generator's Java field, e.g. "voteFraction", at the whole options map).
 */
class SyntheticOptionErrorsTest {
    private final StringWriter err = new StringWriter();

    private String validate(String set) {
        err.getBuffer().setLength(0);
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("validate", "../jobs/solana-program-activity.yaml", "--set", set))
                .as(set)
                .isEqualTo(2);
        return err.toString();
    }

    @Test
    void outOfRangeOptionsAreNamedAtTheirOwnPosition() {
        assertThat(validate("sources.txs.options.vote_fraction=2"))
                .isEqualTo(
                        "--set sources.txs.options.vote_fraction: sources.txs.options.vote_fraction:"
                                + " vote_fraction is a share: expected 0 to 1, got 2.0\n");
        assertThat(validate("sources.txs.options.failure_rate=-0.5"))
                .contains("sources.txs.options.failure_rate: failure_rate is a share");
        assertThat(validate("sources.txs.options.skipped_slot_rate=1"))
                .contains(
                        "sources.txs.options.skipped_slot_rate: skipped_slot_rate is a share below 1");
        assertThat(validate("sources.txs.options.target_rate=-1"))
                .isEqualTo(
                        "--set sources.txs.options.target_rate: sources.txs.options.target_rate:"
                                + " target_rate must be 0 (as fast as possible) or more, got -1.0\n");
        assertThat(validate("sources.txs.options.transactions_per_slot=200000"))
                .contains("transactions_per_slot is at most 100000, got 200000");
        assertThat(validate("sources.txs.options.account_pool_size=3"))
                .contains("account_pool_size is at least 16, got 3");
    }
}
