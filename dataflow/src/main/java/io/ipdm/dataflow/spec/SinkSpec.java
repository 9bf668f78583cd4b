package io.ipdm.dataflow.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A sink: its kind, the stream it consumes and kind-specific options. */
public record SinkSpec(String id, String kind, String input, Map<String, Object> options) {
    public SinkSpec {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
