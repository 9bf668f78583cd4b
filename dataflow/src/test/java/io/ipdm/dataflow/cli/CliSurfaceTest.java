package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * What every subcommand shares: {@code --help}, unknown commands and arguments, and how pipeline
 * errors and unexpected failures are reported.
 */
class CliSurfaceTest extends CommandLineTest {
    /** Every command of the tree as the words that name it, e.g. [lake, serve]. */
    static Stream<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        for (CommandLine c : IpdmCli.tree(IpdmCli.commandLine())) {
            List<String> words = new ArrayList<>();
            for (CommandLine p = c; p.getParent() != null; p = p.getParent()) {
                words.add(p.getCommandName());
            }
            Collections.reverse(words);
            all.add(words);
        }
        return all.stream();
    }

    @Test
    void theTreeHasEveryNestedCommand() {
        assertThat(commands().map(w -> String.join(" ", w)))
                .contains("", "run", "lake serve", "lake put", "wasm check", "jobs stop")
                .hasSizeGreaterThan(25);
    }

    @ParameterizedTest(name = "ipdm {0} --help")
    @MethodSource("commands")
    void everyCommandAnswersHelp(List<String> words) {
        List<String> args = new ArrayList<>(words);
        args.add("--help");
        assertThat(run(args.toArray(String[]::new))).as("exit code, stderr: %s", err).isZero();
        String name = String.join(" ", Stream.concat(Stream.of("ipdm"), words.stream()).toList());
        assertThat(out.toString()).startsWith("Usage: " + name).contains("-h, --help");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void unknownCommandWithHelpIsAnError() {
        assertThat(run("quux", "subscribe", "--help")).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString())
                .isEqualTo(
                        "ipdm: unknown command 'quux' for 'ipdm'; commands: run, validate, explain,"
                                + " wasm, lake, node, net, name, cluster, jobs, submit, kinds, verify, id, solana\n"
                                + "Run 'ipdm --help' for usage.\n");
    }

    @Test
    void unknownCommandWithoutHelpSuggestsTheNearest() {
        assertThat(run("valdate", "x.yaml")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "ipdm: unknown command 'valdate' for 'ipdm' (did you mean 'validate'?);");
    }

    @Test
    void unknownNestedCommandWithHelpIsAnError() {
        assertThat(run("lake", "serv", "--help")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("ipdm: unknown command 'serv' for 'ipdm lake' (did you mean 'serve'?);")
                .endsWith("Run 'ipdm lake --help' for usage.\n");
    }

    @Test
    void strayArgumentWithHelpIsAnError() {
        assertThat(run("jobs", "list", "extra", "--help")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "ipdm: unknown argument 'extra' for 'ipdm jobs list'\n"
                                + "Run 'ipdm jobs list --help' for usage.\n");
    }

    @Test
    void unknownCommandIsQuotedAndCut() {
        String word = "x".repeat(500);
        assertThat(run(word)).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow())
                .isEqualTo(
                        "ipdm: unknown command '"
                                + "x".repeat(80)
                                + "... (500 chars)' for 'ipdm'; commands: run, validate, explain,"
                                + " wasm, lake, node, net, name, cluster, jobs, submit, kinds, verify, id, solana");
    }

    @Test
    void pipelineErrorsOfEveryPipelineCommandArePositionedWithExitTwo(@TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "name: p\nsources: []\nsinks: []\nbogus: 1\n");
        String expected =
                f
                        + ":4:1: unknown key 'bogus'; allowed keys: name, description, event_time,"
                        + " sources, stages, sinks, runtime, modules\n";
        for (String cmd : List.of("run", "validate", "explain", "submit")) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of(cmd, f.toString()));
            if (cmd.equals("submit")) {
                args.addAll(List.of("--jobmanager", "127.0.0.1:1"));
            }
            assertThat(run(args.toArray(String[]::new))).as(cmd).isEqualTo(2);
            assertThat(err.toString()).as(cmd).isEqualTo(expected);
        }
    }

    /**
     * A command that only groups others is a usage error without one (exit 2), saying so the same
     * way everywhere: which subcommands there are, then the group's usage.
     */
    @ParameterizedTest(name = "ipdm {0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"", "wasm", "lake", "net", "name", "cluster", "jobs", "solana"})
    void aGroupWithoutASubcommandIsAUsageError(String group) {
        String[] args = group.isEmpty() ? new String[0] : new String[] {group};
        assertThat(run(args)).as(err::toString).isEqualTo(2);
        assertThat(err.toString()).isNotBlank();
        assertThat(out.toString()).isEmpty();
        CommandLine cl = IpdmCli.commandLine();
        CommandLine g = group.isEmpty() ? cl : cl.getSubcommands().get(group);
        assertThat(err.toString())
                .startsWith(
                        "a subcommand is required: "
                                + String.join(", ", g.getSubcommands().keySet())
                                + "\nUsage: ipdm"
                                + (group.isEmpty() ? "" : " " + group));
    }

    /** Every command that groups others is in the test above. */
    @Test
    void everyGroupIsCheckedForItsUsageError() {
        List<String> groups = new ArrayList<>();
        for (CommandLine c : IpdmCli.tree(IpdmCli.commandLine())) {
            if (!c.getSubcommands().isEmpty()
                    && !(c.getCommandSpec().userObject() instanceof NodeCommand)) {
                groups.add(c.getParent() == null ? "" : c.getCommandName());
            }
        }
        assertThat(groups)
                .containsExactlyInAnyOrder(
                        "", "wasm", "lake", "net", "name", "cluster", "jobs", "solana");
    }

    /** -q/--quiet and -v/--verbose on every command that does something (not on groups). */
    @Test
    void everyLeafCommandTakesQuietAndVerbose() {
        List<String> missing = new ArrayList<>();
        for (CommandLine c : IpdmCli.tree(IpdmCli.commandLine())) {
            if (!c.getSubcommands().isEmpty()) {
                continue;
            }
            CommandLine.Model.CommandSpec s = c.getCommandSpec();
            for (String o : List.of("-q", "--quiet", "-v", "--verbose")) {
                if (s.findOption(o) == null) {
                    missing.add(s.qualifiedName() + " " + o);
                }
            }
        }
        assertThat(missing).isEmpty();
    }
}
