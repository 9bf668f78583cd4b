package io.ipdm.dataflow.spec;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The kinds a pipeline file may name; a new kind is added here and gets one translator. */
public final class Kinds {
    public static final Set<String> SOURCES =
            new LinkedHashSet<>(
                    List.of("solana-replay", "solana-synthetic", "solana-rpc", "gossipsub"));
    public static final Set<String> STAGES =
            new LinkedHashSet<>(
                    List.of("filter", "project", "explode", "key_by", "window", "wasm"));
    public static final Set<String> SINKS =
            new LinkedHashSet<>(
                    List.of("terminal", "jsonl", "parquet", "gossipsub", "postgres", "duckdb"));

    private Kinds() {}
}
