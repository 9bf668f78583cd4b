package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KindsCommandTest extends CommandLineTest {
    @Test
    void listsEveryKindWithItsOptions() {
        assertThat(run("kinds")).isEqualTo(0);
        assertThat(out.toString())
                .contains("source solana-replay: replays files of Solana getBlock responses")
                .contains("  path (string, required): a file or directory of getBlock responses")
                .contains("  on_corrupt_block (string, default fail): fail: the job fails")
                .contains("stage window: ")
                .contains("  options.on_failure (string, default fail): ")
                .contains("sink parquet: ")
                .contains("  compression (string, default snappy): ");
    }

    @Test
    void oneKindByName() {
        assertThat(run("kinds", "gossipsub")).isEqualTo(0);
        String text = out.toString();
        // gossipsub is a source kind and a sink kind
        assertThat(text).startsWith("source gossipsub: ").contains("\nsink gossipsub: ");
        assertThat(text).contains("  topic (string, required): the gossipsub topic\n");
        assertThat(text).doesNotContain("solana");
    }

    @Test
    void unknownKindIsBadInputWithASuggestion() {
        assertThat(run("kinds", "parquett")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "ipdm kinds: unknown kind 'parquett' (did you mean 'parquet'?); kinds:");
    }

    @Test
    void helpDescribesTheCommand() {
        assertThat(run("kinds", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("Usage: ipdm kinds").contains("--markdown");
    }
}
