package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.Suggest;
import io.ipdm.dataflow.yaml.Quote;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code ipdm} command. A new subcommand is one class annotated with {@code @Command} plus its
 * entry in {@link #SUBCOMMANDS}. Exit codes: 0 done, 1 job failed, 2 bad input: a usage error, a
 * bad option value, a pipeline error, or an input file that is missing or not readable ({@link
 * #exitCode}; {@code ExitCodesTest} walks every command for these).
 *
 * <p>Shared by every subcommand, so none repeats it: {@code -h/--help} and {@code -V/--version} on
 * every command of the tree; an unknown command or argument is exit 2, even next to {@code --help};
 * a {@link PipelineException} thrown by a command prints each error as {@code file:line:column:
 * key: message} and exits 2; any other exception prints one line (the stack trace only with {@code
 * -v}) and exits 1.
 */
@Command(
        name = "ipdm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Interplanetary Data Machine: YAML stream pipelines on Apache Flink.",
        subcommandsRepeatable = false)
public final class IpdmCli extends CommandGroup {
    public static final int OK = 0;
    public static final int JOB_FAILED = 1;
    public static final int BAD_INPUT = 2;

    /** Every subcommand; add new ones here. */
    static final List<Class<?>> SUBCOMMANDS =
            List.of(
                    RunCommand.class,
                    ValidateCommand.class,
                    ExplainCommand.class,
                    WasmCommand.class,
                    LakeCommand.class,
                    NodeCommand.class,
                    NetCommand.class,
                    NameCommand.class,
                    ClusterCommand.class,
                    JobsCommand.class,
                    SubmitCommand.class,
                    KindsCommand.class,
                    VerifyCommand.class,
                    IdentityCommand.class,
                    SolanaCommand.class);

    /**
     * What a command that only groups others (ipdm, lake, net, ...) throws when run without one: a
     * usage error (exit 2, the message then the group's usage) naming its subcommands.
     */
    static CommandLine.ParameterException subcommandRequired(CommandLine.Model.CommandSpec spec) {
        return new CommandLine.ParameterException(
                spec.commandLine(),
                "a subcommand is required: " + String.join(", ", spec.subcommands().keySet()));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new IpdmCli());
        for (Class<?> c : SUBCOMMANDS) {
            cl.addSubcommand(c);
        }
        for (CommandLine c : tree(cl)) {
            if (!c.getCommandSpec().mixinStandardHelpOptions()) {
                c.getCommandSpec().mixinStandardHelpOptions(true);
            }
        }
        cl.setExitCodeExceptionMapper(IpdmCli::exitCode);
        cl.setParameterExceptionHandler(IpdmCli::parameterError);
        cl.setExecutionStrategy(IpdmCli::execute);
        cl.setExecutionExceptionHandler(IpdmCli::executionError);
        return cl;
    }

    /** {@code cl} and every command below it, each once (aliases share a CommandLine). */
    static List<CommandLine> tree(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>();
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(cl, out, seen);
        return out;
    }

    private static void collect(CommandLine cl, List<CommandLine> out, Set<CommandLine> seen) {
        if (seen.add(cl)) {
            out.add(cl);
            for (CommandLine sub : cl.getSubcommands().values()) {
                collect(sub, out, seen);
            }
        }
    }

    /**
     * Picocli accepts stray words next to {@code --help} and prints the help of the last known
     * command with exit 0; {@code ipdm quux subscribe --help} must instead say that {@code quux} is
     * not a command.
     */
    private static int execute(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            CommandSpec s = pr.commandSpec();
            if (!pr.unmatched().isEmpty() && s.unmatchedArgsBindings().isEmpty()) {
                return unknown(s.commandLine(), pr.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    private static int parameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return unknown(cl, u.getUnmatched());
        }
        PrintWriter err = cl.getErr();
        err.println(e.getMessage());
        cl.usage(err);
        return BAD_INPUT;
    }

    private static int unknown(CommandLine cl, List<String> unmatched) {
        PrintWriter err = cl.getErr();
        String word = unmatched.get(0);
        String name = cl.getCommandSpec().qualifiedName();
        List<String> commands = new ArrayList<>(cl.getSubcommands().keySet());
        if (!commands.isEmpty() && !word.startsWith("-")) {
            String near = Suggest.closest(word, commands);
            err.println(
                    "ipdm: unknown command "
                            + Quote.of(word)
                            + " for '"
                            + name
                            + "'"
                            + (near == null ? "" : " (did you mean '" + near + "'?)")
                            + "; commands: "
                            + String.join(", ", commands));
        } else {
            err.println(
                    "ipdm: unknown "
                            + (word.startsWith("-") ? "option " : "argument ")
                            + Quote.of(word)
                            + " for '"
                            + name
                            + "'");
        }
        err.println("Run '" + name + " --help' for usage.");
        err.flush();
        return BAD_INPUT;
    }

    /**
     * The exit code of a command that failed with {@code e}: 2 when the user's input is at fault (a
     * usage error or bad option value, a pipeline error, or an input file or directory that is not
     * there or cannot be read, also when wrapped), else 1. Every command's own error handling asks
     * this, so a missing file is exit 2 from every command.
     */
    static int exitCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CommandLine.ParameterException
                    || t instanceof PipelineException
                    || t instanceof NoSuchFileException
                    || t instanceof AccessDeniedException
                    || t instanceof NotDirectoryException
                    || t instanceof InputFileException
                    || t instanceof FileNotFoundException) {
                return BAD_INPUT;
            }
        }
        return JOB_FAILED;
    }

    /**
     * {@code e}'s message for the user: the JDK's file errors carry only the path, so those say
     * what is wrong with it.
     */
    static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "not readable (permission denied): " + a.getFile();
        }
        if (e instanceof NotDirectoryException d) {
            return "not a directory: " + d.getFile();
        }
        return e.getMessage();
    }

    private static int executionError(Exception e, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        if (e instanceof PipelineException p) {
            printErrors(p, err);
            return BAD_INPUT;
        }
        err.println("ipdm: " + LocalRunnerErrors.describe(e));
        if (verbose(parseResult)) {
            e.printStackTrace(err);
        } else if (cl.getCommandSpec().findOption("--verbose") != null) {
            err.println("ipdm: run with -v for the stack trace");
        }
        err.flush();
        return exitCode(e);
    }

    /** Prints each pipeline error as {@code file:line:column: key: message}, one per line. */
    static void printErrors(PipelineException e, PrintWriter err) {
        err.println(e.getMessage());
        err.flush();
    }

    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
