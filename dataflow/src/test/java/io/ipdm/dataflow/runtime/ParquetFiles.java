package io.ipdm.dataflow.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.connectors.files.ParquetRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;

/**
 * Reads the committed part files of a Parquet sink ({@link ParquetRecords}: parquet-java's column
 * readers, no Hadoop) and turns each record into the JSON object the JSON Lines sink writes for the
 * same row, so the two can be compared.
 */
final class ParquetFiles {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ParquetFiles() {}

    static List<JsonNode> read(Path dir) {
        List<JsonNode> rows = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return rows;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.startsWith(".") && name.endsWith(".parquet")) {
                    readFile(f, rows);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static void readFile(Path file, List<JsonNode> rows) throws IOException {
        for (Group g : ParquetRecords.read(file).records()) {
            rows.add(object(g));
        }
    }

    private static ObjectNode object(Group g) {
        ObjectNode o = JSON.objectNode();
        GroupType type = g.getType();
        for (int i = 0; i < type.getFieldCount(); i++) {
            Type field = type.getType(i);
            o.set(
                    field.getName(),
                    g.getFieldRepetitionCount(i) == 0 ? JSON.nullNode() : value(g, i));
        }
        return o;
    }

    private static JsonNode value(Group g, int i) {
        Type field = g.getType().getType(i);
        if (!field.isPrimitive()) {
            Group inner = g.getGroup(i, 0);
            if (!(field.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
                return object(inner);
            }
            ArrayNode a = JSON.arrayNode();
            for (int k = 0; k < inner.getFieldRepetitionCount(0); k++) {
                Group item = inner.getGroup(0, k);
                a.add(item.getFieldRepetitionCount(0) == 0 ? JSON.nullNode() : value(item, 0));
            }
            return a;
        }
        return switch (field.asPrimitiveType().getPrimitiveTypeName()) {
            case INT64 -> JSON.numberNode(g.getLong(i, 0));
            case INT32 -> JSON.numberNode(g.getInteger(i, 0));
            case DOUBLE -> JSON.numberNode(g.getDouble(i, 0));
            case FLOAT -> JSON.numberNode(g.getFloat(i, 0));
            case BOOLEAN -> JSON.booleanNode(g.getBoolean(i, 0));
            case BINARY -> JSON.textNode(g.getString(i, 0));
            default -> throw new IllegalStateException("unexpected column " + field);
        };
    }
}
