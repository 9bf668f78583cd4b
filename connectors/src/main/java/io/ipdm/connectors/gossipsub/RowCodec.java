package io.ipdm.connectors.gossipsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Row layout of gossipsub rows and the JSON payload mapping. Source rows are the payload fields
 * followed by the metadata {@code topic, message_id, author, seqno} (JSON), or the metadata then
 * {@code data} (raw).
 */
public final class RowCodec implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final List<String> METADATA = List.of("topic", "message_id", "author", "seqno");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PayloadFormat format;
    private final String[] payloadNames;
    private final TypeInformation<?>[] payloadTypes;

    /** {@code payload} declares the JSON fields; ignored for raw. */
    public RowCodec(PayloadFormat format, RowTypeInfo payload) {
        this.format = format;
        this.payloadNames = payload == null ? new String[0] : payload.getFieldNames();
        this.payloadTypes = payload == null ? new TypeInformation<?>[0] : payload.getFieldTypes();
        for (int i = 0; i < payloadTypes.length; i++) {
            if (format == PayloadFormat.ARROW) {
                ArrowPayload.schema(
                        new String[] {payloadNames[i]}, new TypeInformation<?>[] {payloadTypes[i]});
            } else if (!supported(payloadTypes[i])) {
                throw new IllegalArgumentException(
                        "gossipsub: field '"
                                + payloadNames[i]
                                + "' has type "
                                + payloadTypes[i]
                                + "; JSON payload fields may be STRING, LONG, INT, DOUBLE or BOOLEAN");
            }
            if (METADATA.contains(payloadNames[i])) {
                throw new IllegalArgumentException(
                        "gossipsub: payload field '"
                                + payloadNames[i]
                                + "' clashes with metadata field of that name");
            }
        }
    }

    private static boolean supported(TypeInformation<?> t) {
        return t.equals(BasicTypeInfo.STRING_TYPE_INFO)
                || t.equals(BasicTypeInfo.LONG_TYPE_INFO)
                || t.equals(BasicTypeInfo.INT_TYPE_INFO)
                || t.equals(BasicTypeInfo.DOUBLE_TYPE_INFO)
                || t.equals(BasicTypeInfo.BOOLEAN_TYPE_INFO);
    }

    public RowTypeInfo sourceType() {
        List<TypeInformation<?>> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (format != PayloadFormat.RAW) {
            types.addAll(Arrays.asList(payloadTypes));
            names.addAll(Arrays.asList(payloadNames));
        }
        types.addAll(
                List.of(
                        BasicTypeInfo.STRING_TYPE_INFO,
                        BasicTypeInfo.STRING_TYPE_INFO,
                        BasicTypeInfo.STRING_TYPE_INFO,
                        BasicTypeInfo.LONG_TYPE_INFO));
        names.addAll(METADATA);
        if (format == PayloadFormat.RAW) {
            types.add(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            names.add("data");
        }
        return new RowTypeInfo(
                types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0]));
    }

    /**
     * The source rows for a message: one for JSON and raw, one per record batch row for Arrow.
     *
     * @throws IllegalArgumentException when the payload does not decode or a field has the wrong
     *     type
     */
    public List<Row> toRows(
            String topic, String messageId, String author, long seqno, byte[] data) {
        if (format != PayloadFormat.ARROW) {
            return List.of(toRow(topic, messageId, author, seqno, data));
        }
        List<Row> rows = new ArrayList<>();
        for (Row payload : ArrowPayload.decode(data, payloadNames, payloadTypes)) {
            Row row = new Row(payloadNames.length + METADATA.size());
            for (int i = 0; i < payloadNames.length; i++) {
                row.setField(i, payload.getField(i));
            }
            setMetadata(row, topic, messageId, author, seqno);
            rows.add(row);
        }
        return rows;
    }

    /**
     * A source row for a JSON or raw message.
     *
     * @throws IllegalArgumentException when a JSON payload is not an object or a field has the
     *     wrong type
     */
    public Row toRow(String topic, String messageId, String author, long seqno, byte[] data) {
        if (format == PayloadFormat.RAW) {
            return Row.of(topic, messageId, author, seqno, data);
        }
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("payload is not a JSON object");
        }
        Row row = new Row(payloadNames.length + METADATA.size());
        for (int i = 0; i < payloadNames.length; i++) {
            row.setField(i, value(node.get(payloadNames[i]), payloadTypes[i], payloadNames[i]));
        }
        setMetadata(row, topic, messageId, author, seqno);
        return row;
    }

    private void setMetadata(Row row, String topic, String messageId, String author, long seqno) {
        int m = payloadNames.length;
        row.setField(m, topic);
        row.setField(m + 1, messageId);
        row.setField(m + 2, author);
        row.setField(m + 3, seqno);
    }

    private static Object value(JsonNode v, TypeInformation<?> t, String name) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (t.equals(BasicTypeInfo.STRING_TYPE_INFO)) {
            return v.isTextual() ? v.asText() : v.toString();
        }
        if (t.equals(BasicTypeInfo.BOOLEAN_TYPE_INFO) && v.isBoolean()) {
            return v.booleanValue();
        }
        if (t.equals(BasicTypeInfo.LONG_TYPE_INFO)
                && v.canConvertToLong()
                && v.isIntegralNumber()) {
            return v.longValue();
        }
        if (t.equals(BasicTypeInfo.INT_TYPE_INFO) && v.canConvertToInt() && v.isIntegralNumber()) {
            return v.intValue();
        }
        if (t.equals(BasicTypeInfo.DOUBLE_TYPE_INFO) && v.isNumber()) {
            return v.doubleValue();
        }
        throw new IllegalArgumentException("field '" + name + "' should be " + t + " but is " + v);
    }

    /** The JSON payload the sink publishes for {@code row} with the given field names. */
    public static byte[] toJson(Row row, String[] names) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < names.length; i++) {
            o.set(names[i], JSON.valueToTree(row.getField(i)));
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
