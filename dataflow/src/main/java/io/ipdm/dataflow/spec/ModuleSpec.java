package io.ipdm.dataflow.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WebAssembly module a {@code wasm} stage can reference: by file path or by content id (exactly
 * one), with module-specific configuration.
 */
public record ModuleSpec(String id, String path, String cid, Map<String, Object> config) {
    public ModuleSpec {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }
}
