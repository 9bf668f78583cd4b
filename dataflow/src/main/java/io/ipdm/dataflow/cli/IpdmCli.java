package io.ipdm.dataflow.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ipdm} command. A new subcommand is one class annotated with {@code @Command} plus its
 * entry in {@link #SUBCOMMANDS}. Exit codes: 0 done, 1 job failed, 2 bad input.
 */
@Command(
        name = "ipdm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Interplanetary Data Machine: YAML stream pipelines on Apache Flink.",
        subcommandsRepeatable = false)
public final class IpdmCli implements Runnable {
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
                    ClusterCommand.class,
                    JobsCommand.class,
                    SubmitCommand.class,
                    KindsCommand.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new IpdmCli());
        for (Class<?> c : SUBCOMMANDS) {
            cl.addSubcommand(c);
        }
        cl.setExitCodeExceptionMapper(
                e -> e instanceof CommandLine.ParameterException ? BAD_INPUT : JOB_FAILED);
        cl.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    commandLine.getErr().println("ipdm: " + e);
                    e.printStackTrace(commandLine.getErr());
                    return JOB_FAILED;
                });
        return cl;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
