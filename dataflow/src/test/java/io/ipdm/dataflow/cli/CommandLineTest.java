package io.ipdm.dataflow.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * A test of ipdm commands run in this JVM, as {@code ipdm} runs them: {@link #run} executes one,
 * {@link #out} and {@link #err} keep what it printed (results and messages).
 */
abstract class CommandLineTest {
    protected final StringWriter out = new StringWriter();
    protected final StringWriter err = new StringWriter();

    /** The exit code of {@code ipdm ARGS...}. */
    protected int run(String... args) {
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
