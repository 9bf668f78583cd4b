package io.ipdm.dataflow.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ipdm.dataflow.yaml.YNode.Entry;
import io.ipdm.dataflow.yaml.YNode.YList;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into {@link YNode}s that keep line and column. Jackson's tree model drops locations,
 * so this walks Jackson's streaming YAML parser instead.
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlReader() {}

    /** Parses one YAML document; {@code file} is the name used in locations. */
    public static YNode read(String text, String file) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new YamlException(new Location(file, 1, 1), "the file is empty");
            }
            YNode root = readValue(p, file, text);
            if (p.nextToken() != null) {
                throw new YamlException(
                        loc(p.currentTokenLocation(), file),
                        "only one YAML document per file is allowed (found a second `---`)");
            }
            return root;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                Mark mark = m.getProblemMark();
                String context = m.getContext() == null ? "" : m.getContext() + ": ";
                throw new YamlException(
                        new Location(file, mark.getLine() + 1, mark.getColumn() + 1),
                        "invalid YAML: " + context + firstLine(m.getProblem()));
            }
            JsonLocation l = e.getLocation();
            Location where = l == null ? new Location(file, 1, 1) : loc(l, file);
            throw new YamlException(where, "invalid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static YNode readValue(JsonParser p, String file, String text) throws IOException {
        Location at = loc(p.currentTokenLocation(), file);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = loc(p.currentTokenLocation(), file);
                    if (entries.containsKey(key)) {
                        throw new YamlException(
                                keyAt,
                                "duplicate key '"
                                        + key
                                        + "' (first at line "
                                        + entries.get(key).keyLocation().line()
                                        + ")");
                    }
                    p.nextToken();
                    entries.put(key, new Entry(key, keyAt, readValue(p, file, text)));
                }
                return new YMap(entries, at);
            }
            case START_ARRAY -> {
                List<YNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(p, file, text));
                }
                return new YList(items, at);
            }
            case VALUE_STRING -> {
                return new YScalar(p.getText(), p.getText(), contentStart(p, at, text));
            }
            case VALUE_NUMBER_INT -> {
                String digits = p.getText();
                Object v;
                try {
                    v = p.getLongValue();
                } catch (IOException tooBig) {
                    v = digits;
                }
                return new YScalar(v, digits, at);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YScalar(p.getDoubleValue(), p.getText(), at);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YScalar(t == JsonToken.VALUE_TRUE, p.getText(), at);
            }
            case VALUE_NULL -> {
                return new YScalar(null, "", at);
            }
            default -> throw new YamlException(at, "unsupported YAML construct " + t);
        }
    }

    /** For quoted scalars, the column of the first character inside the quotes. */
    private static Location contentStart(JsonParser p, Location at, String text) {
        long offset = p.currentTokenLocation().getCharOffset();
        if (offset >= 0 && offset < text.length()) {
            char c = text.charAt((int) offset);
            if (c == '"' || c == '\'') {
                return new Location(at.file(), at.line(), at.column() + 1);
            }
        }
        return at;
    }

    /** YAML 1.2 core-schema typing of a plain scalar, for values given on the command line. */
    public static YScalar scalar(String text, Location at) {
        String s = text.trim();
        if (s.isEmpty() || s.equals("null") || s.equals("~")) {
            return new YScalar(null, text, at);
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return new YScalar(Boolean.parseBoolean(s), text, at);
        }
        if (s.matches("[-+]?[0-9]+")) {
            try {
                return new YScalar(Long.parseLong(s), text, at);
            } catch (NumberFormatException tooBig) {
                return new YScalar(text, text, at);
            }
        }
        if (s.matches("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
            return new YScalar(Double.parseDouble(s), text, at);
        }
        return new YScalar(text, text, at);
    }

    private static Location loc(JsonLocation l, String file) {
        return new Location(file, l.getLineNr(), l.getColumnNr());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "could not parse";
        }
        String line = s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }
}
