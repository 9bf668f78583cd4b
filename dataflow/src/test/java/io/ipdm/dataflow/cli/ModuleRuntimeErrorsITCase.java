package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.wasm.ModuleCid;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A module that fails inside a running job: {@code ipdm run} prints one line with the host's error
 * (module and CID, function, batch, the trap, panic or budget and the config key that raises it)
 * and exits 1; never a {@code PolyglotException} chain or a {@code TaskNotRunningException}.
 */
class ModuleRuntimeErrorsITCase {
    private static final Path HOSTILE =
            Path.of("../wasm-udf/corpus/hostile").toAbsolutePath().normalize();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs a pipeline of the synthetic source, x = index - 2, the module's map `run`. */
    private String fail(Path tmp, String module, String config, String restart) throws Exception {
        Path yaml = tmp.resolve("job.yaml");
        Files.writeString(
                yaml,
                """
                name: module-failure
                sources:
                  - id: txs
                    kind: solana-synthetic
                    table: transactions
                    options: {slots: 4, transactions_per_slot: 5, seed: 7}
                stages:
                  - id: xs
                    kind: project
                    input: txs
                    select: {slot: slot, x: "index - 2"}
                  - id: ys
                    kind: wasm
                    input: xs
                    module: hostile
                    function: run
                sinks:
                  - {id: out, kind: jsonl, input: ys, options: {path: "%s"}}
                runtime: {parallelism: 1, state_dir: "%s", restart: %s}
                modules:
                  - {id: hostile, path: "%s", config: %s}
                """
                        .formatted(
                                tmp.resolve("out"),
                                tmp.resolve("state"),
                                restart,
                                HOSTILE.resolve(module + ".wasm"),
                                config));
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("run", "-q", yaml.toString());
        String printed = err.toString();
        assertThat(code).as(printed).isEqualTo(1);
        assertThat(printed).doesNotContain("PolyglotException", "TaskNotRunningException");
        assertThat(printed.lines().toList()).as(printed).hasSize(1);
        return printed.strip();
    }

    private static String where(String module) throws Exception {
        return "ipdm: job failed: module '"
                + module
                + "' ("
                + ModuleCid.of(Files.readAllBytes(HOSTILE.resolve(module + ".wasm")))
                + ") function 'run' batch ";
    }

    @Test
    void infiniteLoopNamesTheTimeBudgetAndItsKey(@TempDir Path tmp) throws Exception {
        String line = fail(tmp, "loop", "{timeout: 1s}", "{strategy: none}");
        assertThat(line)
                .startsWith(where("loop"))
                .contains(" ran longer than its time budget of 1000 ms")
                .endsWith("raise it with the module's config key 'timeout' (e.g. timeout: 30s)");
    }

    @Test
    void divideByZeroTrapNamesModuleFunctionAndTrap(@TempDir Path tmp) throws Exception {
        // default restarts: the job fails again after each restart; the trap is still what prints
        String line = fail(tmp, "trap", "{}", "{strategy: fixed-delay, attempts: 1, delay: 100ms}");
        assertThat(line)
                .startsWith(where("trap"))
                .containsPattern(" trapped: .*divide by zero.* \\(memory \\d+ of 1024 pages\\)$");
    }

    @Test
    void rustPanicPrintsThePanicMessage(@TempDir Path tmp) throws Exception {
        String line = fail(tmp, "panic", "{}", "{strategy: none}");
        assertThat(line)
                .startsWith(where("panic"))
                .containsPattern(
                        " aborted: panic: panicked at 'x is zero at row \\d+',"
                                + " ipdm/corpus/hostile/panic.rs:\\d+:\\d+$");
    }

    @Test
    void outOfMemoryNamesTheCapAndMaxMemoryPages(@TempDir Path tmp) throws Exception {
        String line = fail(tmp, "grow", "{max_memory_pages: 16}", "{strategy: none}");
        assertThat(line)
                .startsWith(where("grow"))
                .contains(
                        " failed at its memory cap (limits: time 10000 ms, memory 16 pages (1 MiB))")
                .endsWith(
                        "raise it with the module's config key 'max_memory_pages' (now 16, at most 32767)");
    }

    @Test
    void wrongOutputTypeNamesTheColumn(@TempDir Path tmp) throws Exception {
        String line = fail(tmp, "wrongtype", "{}", "{strategy: none}");
        assertThat(line)
                .startsWith(where("wrongtype"))
                .endsWith(
                        " returned column 'y' (utf8) with 2 buffers and 0 children; the declared"
                                + " schema needs 3 and 0 (does the module's output match its"
                                + " descriptor?)");
    }
}
