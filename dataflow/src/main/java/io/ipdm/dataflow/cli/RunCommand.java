package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.PrometheusEndpoint;
import io.ipdm.dataflow.runtime.RetainedCheckpoints;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.sink.Console;
import io.ipdm.dataflow.validate.Durations;
import io.ipdm.dataflow.yaml.Quote;
import io.ipdm.operators.wasm.WasmOperators;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a pipeline on an embedded Flink MiniCluster. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run a pipeline on an embedded Flink MiniCluster (Web UI on a free port).",
            "Ctrl-C stops the job with a savepoint; resume with --from-savepoint.",
            "Exit codes: 0 finished or stopped, 1 job failed, 2 bad input."
        })
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Pipeline YAML file.")
    Path file;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "Resume from a savepoint or retained checkpoint.")
    String fromSavepoint;

    @Option(
            names = "--from-latest-checkpoint",
            description =
                    "Resume from the newest completed checkpoint in runtime.checkpoint_dir (after a"
                            + " crash or kill -9, which leave no savepoint); none there: start"
                            + " fresh.")
    boolean fromLatestCheckpoint;

    @Option(
            names = "--savepoint",
            paramLabel = "DIR",
            description = "Where stopping writes its savepoint (default <state_dir>/savepoints).")
    String savepointDir;

    @Option(
            names = "--stop-after",
            paramLabel = "DURATION",
            description = "Stop with a savepoint after this long (e.g. 30s), if not finished.")
    String stopAfter;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description =
                    "Serve the job's metrics for Prometheus on this port (http://HOST:PORT/metrics;"
                            + " default runtime.metrics_port; docs/metrics.md lists the names).")
    Integer metricsPort;

    @Option(
            names = "--metrics-host",
            paramLabel = "HOST",
            defaultValue = "0.0.0.0",
            description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}).")
    String metricsHost;

    @Mixin CommonOptions common;
    @Mixin PipelineOptions pipeline;
    @Mixin ReplayOption replay;
    @Mixin AttestOptions attesting;
    @Mixin KeyOptions keys;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.apply();
        PrintWriter err = spec.commandLine().getErr();
        RunOptions options = RunOptions.defaults().withProgress(!common.quiet);
        if (stopAfter != null) {
            Duration d = Durations.parse(stopAfter);
            if (d == null || d.isZero()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--stop-after: expected a duration like 30s or 5m, got "
                                + Quote.of(stopAfter));
            }
            options = options.withStopAfter(d);
        }
        if (fromSavepoint != null && !fromSavepoint.contains("://")) {
            Path sp =
                    Path.of(
                            fromSavepoint.startsWith("file:")
                                    ? fromSavepoint.substring(5)
                                    : fromSavepoint);
            if (!Files.exists(sp)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--from-savepoint: no such savepoint or checkpoint: " + fromSavepoint);
            }
        }
        options = options.withFromSavepoint(fromSavepoint).withSavepointDir(savepointDir);
        if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--metrics-port: expected 1-65535, got " + metricsPort);
        }
        // Compiled once: every pipeline error shows here (exit 2), and this graph is what runs.
        List<String> sets = replay.sets(file, pipeline.sets);
        AttestOptions.Attesting job;
        try {
            job = attesting.compile(file, sets, keys, err);
        } catch (IllegalArgumentException | java.io.IOException e) {
            err.println("ipdm: --attest: " + e.getMessage());
            err.flush();
            return IpdmCli.BAD_INPUT;
        }
        CompiledPipeline compiled = job.pipeline();
        if (job.node() == null) {
            for (String o : List.of("--node", "--key")) {
                if (given(o)) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            o
                                    + " only applies when attesting; add --attest (or"
                                    + " runtime.attest: true) or drop "
                                    + o);
                }
            }
        }
        if (!common.quiet) {
            err.printf(
                    "ipdm: job %s%s%n",
                    job.identity().cid(),
                    job.node() == null
                            ? ""
                            : "; attesting every closed window through the node at "
                                    + job.node().admin());
            err.flush();
        }
        Pipelines.printWarnings(compiled, err);
        if (fromLatestCheckpoint) {
            if (fromSavepoint != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--from-savepoint and --from-latest-checkpoint exclude each other");
            }
            java.util.Optional<Path> latest = RetainedCheckpoints.latest(compiled);
            if (latest.isPresent()) {
                options = options.withFromSavepoint(latest.get().toString());
                if (!common.quiet) {
                    err.println("ipdm: resuming from checkpoint " + latest.get());
                }
            } else if (!common.quiet) {
                err.println(
                        "ipdm: no completed checkpoint in "
                                + compiled.baseDir()
                                        .resolve(compiled.spec().runtime().checkpointDir())
                                        .normalize()
                                + "; starting from the beginning");
            }
        }
        Integer port = metricsPort != null ? metricsPort : compiled.spec().runtime().metricsPort();
        if (port == null && given("--metrics-host")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--metrics-host binds the metrics endpoint; add --metrics-port PORT (or"
                            + " runtime.metrics_port)");
        }
        if (port != null) {
            options = options.withMetrics(new PrometheusEndpoint(metricsHost, port));
        }
        try (LocalRunner runner = new LocalRunner(compiled, options)) {
            URI ui;
            try {
                ui = runner.start();
            } catch (Exception e) {
                err.println("ipdm: could not start the job: " + LocalRunnerErrors.describe(e));
                if (common.verbose) {
                    e.printStackTrace(err);
                }
                err.flush();
                return IpdmCli.JOB_FAILED;
            }
            if (!common.quiet) {
                err.printf(
                        "ipdm: running %s on an embedded Flink cluster; Web UI: %s%n",
                        compiled.spec().name(), ui);
                if (options.metrics() != null) {
                    err.printf("ipdm: Prometheus metrics: %s%n", options.metrics().url());
                }
                err.flush();
            }
            AtomicBoolean done = new AtomicBoolean();
            Thread hook =
                    new Thread(
                            () -> {
                                if (!done.get()) {
                                    Console.endProgress();
                                    System.err.println("ipdm: stopping with a savepoint...");
                                    String sp = runner.stop();
                                    System.err.println("ipdm: savepoint " + sp);
                                    System.err.println(
                                            "ipdm: resume with: ipdm run "
                                                    + file
                                                    + " --from-savepoint "
                                                    + sp);
                                }
                            },
                            "ipdm-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            RunResult result = runner.await();
            done.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook reports the savepoint.
            }
            // warnings even with --quiet: rows lost without failing the job
            result.warnings().forEach(err::println);
            switch (result.outcome()) {
                case FINISHED -> {
                    if (!common.quiet) {
                        err.printf(
                                "ipdm: %s finished in %.1f s%n",
                                compiled.spec().name(), result.runtimeMillis() / 1000.0);
                    }
                    if (result.deadLetters() > 0) {
                        err.printf(
                                "ipdm: %,d rows went to dead-letter streams (WASM batches that"
                                        + " failed; each row carries the error in %s)%n",
                                result.deadLetters(), WasmOperators.ERROR_FIELD);
                    }
                    return IpdmCli.OK;
                }
                case STOPPED -> {
                    err.println("ipdm: stopped with savepoint " + result.savepoint());
                    err.println(
                            "ipdm: resume with: ipdm run "
                                    + file
                                    + " --from-savepoint "
                                    + result.savepoint());
                    return IpdmCli.OK;
                }
                default -> {
                    err.println(
                            "ipdm: job failed: " + LocalRunnerErrors.jobFailure(result.failure()));
                    if (common.verbose) {
                        result.failure().printStackTrace(err);
                    }
                    return IpdmCli.JOB_FAILED;
                }
            }
        } finally {
            err.flush();
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
