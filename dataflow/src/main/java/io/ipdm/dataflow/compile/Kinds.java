package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.compile.sink.DatabaseSinkKind;
import io.ipdm.dataflow.compile.sink.GossipsubSinkKind;
import io.ipdm.dataflow.compile.sink.JsonLinesSinkKind;
import io.ipdm.dataflow.compile.sink.ParquetSinkKind;
import io.ipdm.dataflow.compile.sink.TerminalSinkKind;
import io.ipdm.dataflow.compile.source.GossipsubSourceKind;
import io.ipdm.dataflow.compile.source.LakeKind;
import io.ipdm.dataflow.compile.source.OldFaithfulKind;
import io.ipdm.dataflow.compile.source.SolanaReplayKind;
import io.ipdm.dataflow.compile.source.SolanaRpcKind;
import io.ipdm.dataflow.compile.source.SolanaSyntheticKind;
import io.ipdm.dataflow.compile.stage.ExplodeKind;
import io.ipdm.dataflow.compile.stage.FilterKind;
import io.ipdm.dataflow.compile.stage.KeyByKind;
import io.ipdm.dataflow.compile.stage.ProjectKind;
import io.ipdm.dataflow.compile.stage.SqlKind;
import io.ipdm.dataflow.compile.stage.WasmKind;
import io.ipdm.dataflow.compile.stage.WindowKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kind a pipeline file may name, in the order error messages and {@code ipdm kinds} list
 * them. The parser, the validator, the compiler, {@code ipdm kinds} and the docs test all read this
 * registry; nothing else knows kind names.
 *
 * <p><b>Adding a source or sink kind</b> is one new class plus one line here: implement {@link
 * SourceKind} (or {@link SinkKind}) with its {@code name()}, a one-line {@code summary()}, its
 * {@code options()} as {@link io.ipdm.dataflow.spec.OptionSpec}s (key, type, default, description,
 * required), {@code type} (the schema of its rows, from options only: no I/O but cheap checks, no
 * Flink operators) and {@code emit} (the Flink source or sink, uid {@code <id>-source} / {@code
 * sink-<id>}), then add an instance to {@link #SOURCES} or {@link #SINKS}. The parser then checks
 * its options (unknown keys with a suggestion, wrong types, missing required ones) with every other
 * key of the file, {@code ipdm kinds NAME} documents it, and {@code KindsDocTest} asks for its row
 * in docs/pipeline-yaml.md ({@code ipdm kinds --markdown} prints the tables).
 *
 * <p>A stage kind also needs its record in {@link io.ipdm.dataflow.spec.StageSpec} and the parsing
 * of its keys in {@code SpecParser}.
 */
public final class Kinds {
    /** Source kinds by name. */
    public static final Map<String, SourceKind> SOURCES =
            byName(
                    List.of(
                            new SolanaReplayKind(),
                            new SolanaSyntheticKind(),
                            new SolanaRpcKind(),
                            new OldFaithfulKind(),
                            new LakeKind(),
                            new GossipsubSourceKind()));

    /** Stage kinds by name. */
    public static final Map<String, StageKind<?>> STAGES =
            byName(
                    List.of(
                            new FilterKind(),
                            new ProjectKind(),
                            new ExplodeKind(),
                            new KeyByKind(),
                            new WindowKind(),
                            new WasmKind(),
                            new SqlKind()));

    /** Sink kinds by name. */
    public static final Map<String, SinkKind> SINKS =
            byName(
                    List.of(
                            new TerminalSinkKind(),
                            new JsonLinesSinkKind(),
                            new ParquetSinkKind(),
                            new GossipsubSinkKind(),
                            DatabaseSinkKind.postgres(),
                            DatabaseSinkKind.duckdb()));

    private Kinds() {}

    private static <K extends Kind> Map<String, K> byName(List<K> kinds) {
        Map<String, K> out = new LinkedHashMap<>();
        for (K k : kinds) {
            if (out.put(k.name(), k) != null) {
                throw new IllegalStateException("two kinds named " + k.name());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every kind: sources, stages, sinks. */
    public static List<Kind> all() {
        List<Kind> out = new java.util.ArrayList<>();
        out.addAll(SOURCES.values());
        out.addAll(STAGES.values());
        out.addAll(SINKS.values());
        return out;
    }

    /** "source", "stage" or "sink". */
    public static String role(Kind k) {
        return switch (k) {
            case SourceKind s -> "source";
            case StageKind<?> s -> "stage";
            case SinkKind s -> "sink";
        };
    }
}
