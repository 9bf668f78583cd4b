package io.ipdm.dataflow.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A source: its kind, the table (row schema) it emits, kind-specific options, and an optional
 * event-time override of the pipeline's.
 */
public record SourceSpec(
        String id,
        String kind,
        String table,
        Map<String, Object> options,
        EventTimeSpec eventTime) {
    public SourceSpec {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
