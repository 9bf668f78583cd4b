package io.ipdm.connectors.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * One JSON object per row, fields in schema order, one line each. The encoding is canonical (same
 * row, same bytes): no whitespace, map keys sorted, byte arrays as base64, nested rows as arrays. A
 * row whose {@link RowKind} is not INSERT (a window result updated by late events is UPDATE_AFTER)
 * gets a last member {@code "_op"} with the kind's short form, e.g. {@code "+U"}.
 */
public final class JsonLinesEncoder implements Encoder<Row> {
    private static final JsonFactory JSON = new JsonFactory();

    /** The member that marks updated rows. */
    public static final String OP = "_op";

    private final String[] names;

    public JsonLinesEncoder(List<String> names) {
        this.names = names.toArray(String[]::new);
    }

    @Override
    public void encode(Row row, OutputStream out) throws IOException {
        out.write(toJson(row).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.write('\n');
    }

    /** The JSON text of one row, without the newline. */
    public String toJson(Row row) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                g.writeFieldName(names[i]);
                write(g, row.getField(i));
            }
            if (row.getKind() != RowKind.INSERT) {
                g.writeStringField(OP, row.getKind().shortString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case Boolean b -> g.writeBoolean(b);
            case byte[] b -> g.writeString(Base64.getEncoder().encodeToString(b));
            case Object[] a -> {
                g.writeStartArray();
                for (Object o : a) {
                    write(g, o);
                }
                g.writeEndArray();
            }
            case long[] a -> g.writeArray(a, 0, a.length);
            case double[] a -> g.writeArray(a, 0, a.length);
            case int[] a -> g.writeArray(a, 0, a.length);
            case Row r -> {
                g.writeStartArray();
                for (int i = 0; i < r.getArity(); i++) {
                    write(g, r.getField(i));
                }
                g.writeEndArray();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    write(g, o);
                }
                g.writeEndArray();
            }
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<String, Object> e : sorted(m).entrySet()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            default -> g.writeString(v.toString());
        }
    }

    private static TreeMap<String, Object> sorted(Map<?, ?> m) {
        TreeMap<String, Object> t = new TreeMap<>();
        m.forEach((k, val) -> t.put(String.valueOf(k), val));
        return t;
    }
}
