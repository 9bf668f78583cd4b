package io.ipdm.dataflow.testutils;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * Pipelines that must not compile: each is loaded from text (as file {@code file}, with {@code
 * vars}) and compiled as {@code ipdm run} would; the error is asserted to be the user's {@link
 * PipelineException}, whose message (file, line, column, what to do) the caller then checks.
 */
public final class CompileErrors {
    /** Where modules and relative paths resolve when a test does not care. */
    public static final Path BASE = Path.of("target").toAbsolutePath();

    private CompileErrors() {}

    /**
     * The error compiling {@code yaml} as {@code file} with {@code vars}, relative to {@link
     * #BASE}.
     */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertCompileError(
            String yaml, String file, Map<String, String> vars) {
        return assertCompileError(yaml, file, vars, BASE);
    }

    /**
     * The error compiling {@code yaml} as {@code file} with {@code vars}, relative to {@code base}.
     */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertCompileError(
            String yaml, String file, Map<String, String> vars, Path base) {
        return assertThatThrownBy(
                        () ->
                                CompiledPipeline.compile(
                                        PipelineLoader.parse(yaml, file, List.of(), vars), base))
                .isInstanceOf(PipelineException.class);
    }

    /**
     * A pipeline whose one stage, {@code q}, is {@code kind: sql} with {@code query} over the
     * synthetic chain's {@code transactions} ({@code txs}, 10 slots), then {@code modules} (YAML
     * list items, may be none). The query's first line is line 10 of the file, at column 7.
     */
    public static String sqlPipeline(String query, String... modules) {
        String indented =
                query.lines()
                        .map(l -> l.isEmpty() ? l : "      " + l)
                        .collect(Collectors.joining("\n"));
        String mods =
                modules.length == 0
                        ? ""
                        : "modules:\n"
                                + java.util.Arrays.stream(modules)
                                        .map(m -> "  - " + m + "\n")
                                        .collect(Collectors.joining());
        return """
               name: bad-sql
               event_time: {field: block_time, unit: seconds}
               sources:
                 - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 10}}
               stages:
                 - id: q
                   kind: sql
                   input: [txs]
                   query: |
               %s
               sinks:
                 - {id: out, kind: jsonl, input: q, options: {path: out}}
               %s"""
                .formatted(indented, mods);
    }
}
