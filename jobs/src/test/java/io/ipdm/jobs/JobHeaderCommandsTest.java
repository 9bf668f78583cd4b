package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.cli.IpdmCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The {@code ./ipdm run} commands in the header of every example job are what a user copies: each
 * one, with {@code run} swapped for {@code validate} (same --set and --replay), is a valid command
 * on a valid pipeline. Paths in headers are relative to the repository root.
 */
class JobHeaderCommandsTest {
    static Stream<String> commands() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("."))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                StringBuilder cmd = null;
                for (String line : Files.readAllLines(f)) {
                    if (!line.startsWith("#")) {
                        break;
                    }
                    String text = line.substring(1).strip();
                    if (cmd == null) {
                        int at = text.indexOf("./ipdm run ");
                        if (at < 0) {
                            continue;
                        }
                        cmd = new StringBuilder(text.substring(at + "./ipdm run ".length()));
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
                        out.add(cmd.toString().strip());
                        cmd = null;
                    }
                }
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(20);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void headerCommandValidates(String command) {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../../shared/data"));
        List<String> args = new ArrayList<>(List.of("validate", "-q"));
        for (String a : command.split("\\s+")) {
            String arg = a.replace("jobs/", "").replace("../shared/data", data.toString());
            if (arg.contains(data.toString())) {
                Assumptions.assumeTrue(
                        Files.isDirectory(data), "real data not found at " + data + "; skipping");
            }
            args.add(arg);
        }
        StringWriter err = new StringWriter();
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute(args.toArray(String[]::new)))
                .as(Arrays.toString(args.toArray()) + "\n" + err)
                .isEqualTo(0);
    }
}
