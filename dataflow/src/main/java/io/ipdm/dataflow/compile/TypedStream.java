package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.EventTimeSpec;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * A compiled stream: its rows, their schema, the fields a following window groups by (empty when
 * not keyed), and the event time of the source it comes from (null when it has none).
 */
public record TypedStream(
        String id,
        DataStream<Row> stream,
        RowTypeInfo type,
        List<String> keyFields,
        EventTimeSpec eventTime) {
    public TypedStream {
        keyFields = List.copyOf(keyFields);
    }

    public TypedStream with(String newId, DataStream<Row> newStream, RowTypeInfo newType) {
        return new TypedStream(newId, newStream, newType, List.of(), eventTime);
    }

    /** The stream's type without its rows. */
    public StreamType shape() {
        return new StreamType(id, type, keyFields, eventTime);
    }

    public List<String> fieldNames() {
        return List.of(type.getFieldNames());
    }
}
