package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.cli.IpdmCli;
import io.ipdm.jobs.testutils.JobComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The {@code ./ipdm run} commands in the header of every example job are what a user copies: each
 * one, with {@code run} swapped for {@code validate} (same --set and --replay), is a valid command
 * on a valid pipeline. Paths in headers are relative to the repository root. The {@code ./ipdm
 * solana} commands a header gives before them (making the archive a job reads) are run first, as a
 * user would, with their {@code -o} files written to a scratch directory (later commands' mentions
 * of those files follow) and {@code --transactions} capped at {@value #MAX_TRANSACTIONS}: the
 * validation needs a real archive, not a big one.
 */
class JobHeaderCommandsTest {
    static final long MAX_TRANSACTIONS = 2000;

    /** A run command of a job header, with the header's solana commands before it. */
    record HeaderCommand(String run, List<String> before) {
        @Override
        public String toString() {
            return run;
        }
    }

    static Stream<HeaderCommand> commands() throws IOException {
        List<HeaderCommand> out = new ArrayList<>();
        for (Path f : JobComparison.jobFiles()) {
            List<String> solana = new ArrayList<>();
            StringBuilder cmd = null;
            boolean isRun = false;
            for (String line : Files.readAllLines(f)) {
                if (!line.startsWith("#")) {
                    break;
                }
                String text = line.substring(1).strip();
                if (cmd == null) {
                    int run = text.indexOf("./ipdm run ");
                    int sol = text.indexOf("./ipdm solana ");
                    if (run >= 0) {
                        isRun = true;
                        cmd = new StringBuilder(text.substring(run + "./ipdm run ".length()));
                    } else if (sol >= 0) {
                        isRun = false;
                        cmd = new StringBuilder(text.substring(sol + "./ipdm ".length()));
                    } else {
                        continue;
                    }
                } else {
                    cmd.append(' ').append(text);
                }
                int comment = cmd.indexOf(" #");
                if (comment >= 0) {
                    cmd.setLength(comment);
                }
                if (cmd.toString().endsWith("\\")) {
                    cmd.setLength(cmd.length() - 1);
                } else {
                    if (isRun) {
                        out.add(new HeaderCommand(cmd.toString().strip(), List.copyOf(solana)));
                    } else {
                        solana.add(cmd.toString().strip());
                    }
                    cmd = null;
                }
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(20);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void headerCommandValidates(HeaderCommand command, @TempDir Path scratch) {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../../shared/data"));
        // files the header's solana commands write, by the name the header gives them
        Map<String, String> written = new LinkedHashMap<>();
        for (String before : command.before()) {
            List<String> args = new ArrayList<>();
            String[] words = before.split("\\s+");
            for (int i = 0; i < words.length; i++) {
                String arg = arg(words[i], data, written);
                if (i > 0 && (words[i - 1].equals("-o") || words[i - 1].equals("--output"))) {
                    String to = scratch.resolve(words[i]).toString();
                    written.put(words[i], to);
                    arg = to;
                } else if (i > 0 && words[i - 1].equals("--transactions")) {
                    arg = Long.toString(Math.min(Long.parseLong(words[i]), MAX_TRANSACTIONS));
                }
                args.add(arg);
            }
            args.add(2, "-q"); // after "solana SUBCOMMAND"
            execute(args);
        }
        List<String> args = new ArrayList<>(List.of("validate", "-q"));
        for (String a : command.run().split("\\s+")) {
            args.add(arg(a.replace("jobs/", ""), data, written));
        }
        execute(args);
    }

    /** {@code a} with the shared data's place and the scratch files made before filled in. */
    private static String arg(String a, Path data, Map<String, String> written) {
        String arg = a.replace("../shared/data", data.toString());
        if (arg.contains(data.toString())) {
            Assumptions.assumeTrue(
                    Files.isDirectory(data), "real data not found at " + data + "; skipping");
        }
        for (Map.Entry<String, String> w : written.entrySet()) {
            if (arg.equals(w.getKey()) || arg.endsWith("=" + w.getKey())) {
                arg = arg.substring(0, arg.length() - w.getKey().length()) + w.getValue();
            }
        }
        return arg;
    }

    private static void execute(List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute(args.toArray(String[]::new)))
                .as(Arrays.toString(args.toArray()) + "\n" + err)
                .isEqualTo(0);
    }
}
