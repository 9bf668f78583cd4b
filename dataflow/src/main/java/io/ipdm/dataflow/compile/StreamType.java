package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.EventTimeSpec;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * A stream as the typing pass sees it: its schema, the fields a following window groups by (empty
 * when not keyed) and the event time of its source (null when none).
 */
public record StreamType(
        String id, RowTypeInfo type, List<String> keyFields, EventTimeSpec eventTime) {
    public StreamType {
        keyFields = List.copyOf(keyFields);
    }

    /** Another stream with the same event time, not keyed. */
    public StreamType with(String newId, RowTypeInfo newType) {
        return new StreamType(newId, newType, List.of(), eventTime);
    }

    public List<String> fieldNames() {
        return List.of(type.getFieldNames());
    }
}
