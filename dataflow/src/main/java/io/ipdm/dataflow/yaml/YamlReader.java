package io.ipdm.dataflow.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.ipdm.dataflow.yaml.YNode.Entry;
import io.ipdm.dataflow.yaml.YNode.YList;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads YAML into {@link YNode}s that keep line and column. Jackson's tree model drops locations,
 * so this walks Jackson's streaming YAML parser instead.
 *
 * <p>Bounded for hostile input: a file over {@link #MAX_BYTES} is refused before it is read,
 * invalid UTF-8 is reported at its line, nesting stops at {@link #MAX_DEPTH}, and aliases are
 * refused where they are written (the event parser never expands them, so a "billion laughs" file
 * fails at its first alias). Every failure is a {@link YamlException} with a position, never a
 * parser class name.
 */
public final class YamlReader {
    /** The largest pipeline file read: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;

    /** How deeply maps and lists may nest. */
    public static final int MAX_DEPTH = 64;

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private static final Pattern PARSER_EVENT =
            Pattern.compile("<?(?:[a-z]+\\.)*(\\w+?)Event(?:\\([^)]*\\))?>?");

    private YamlReader() {}

    /**
     * The text of a pipeline file: its size checked before reading (and the read itself stopped at
     * the limit, for files that grow or are not regular), decoded as strict UTF-8.
     *
     * @throws java.io.IOException if the file cannot be read
     */
    public static String readFile(Path path, String file) throws IOException {
        if (Files.isRegularFile(path) && Files.size(path) > MAX_BYTES) {
            throw tooLarge(file, Files.size(path));
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(file, -1);
        }
        return decode(bytes, file);
    }

    private static YamlException tooLarge(String file, long size) {
        return new YamlException(
                new Location(file, 1, 1),
                "the file is "
                        + (size < 0 ? "larger than " + MAX_BYTES : size)
                        + " bytes; a pipeline file may have at most "
                        + MAX_BYTES
                        + " bytes (1 MiB): keep data in sources, not in the pipeline");
    }

    /** Strict UTF-8 (a leading byte order mark dropped); a bad byte is reported at its line. */
    public static String decode(byte[] bytes, String file) {
        CharsetDecoder d =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length >= 3
                && (bytes[0] & 0xff) == 0xEF
                && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF) {
            in.position(3);
        }
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            // column in characters: decode the line's good prefix
            int column =
                    new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).length()
                            + 1;
            throw new YamlException(
                    new Location(file, line, column),
                    String.format(
                            "not UTF-8 text (byte 0x%02x at offset %d); save the file as UTF-8",
                            bytes[at] & 0xff, at));
        }
        d.flush(out);
        return out.flip().toString();
    }

    /** Parses one YAML document; {@code file} is the name used in locations. */
    public static YNode read(String text, String file) {
        if (text.length() > MAX_BYTES) {
            throw new YamlException(
                    new Location(file, 1, 1),
                    "the text has "
                            + text.length()
                            + " characters; a pipeline file may have at most "
                            + MAX_BYTES
                            + " (1 MiB): keep data in sources, not in the pipeline");
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new YamlException(new Location(file, 1, 1), "the file is empty");
            }
            YNode root = readValue(p, file, text, 1);
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
            if (e.getCause() instanceof ReaderException r) {
                throw new YamlException(
                        at(text, r.getPosition(), file),
                        String.format(
                                "a control character (U+%04X) is not allowed in YAML; is this a"
                                        + " text file?",
                                r.getCodePoint()));
            }
            JsonLocation l = e.getLocation();
            Location where = l == null ? new Location(file, 1, 1) : loc(l, file);
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Expected a field name")) {
                throw new YamlException(
                        where, "a map key must be a plain value such as a name, not a list or map");
            }
            throw new YamlException(where, "invalid YAML: " + firstLine(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static YNode readValue(JsonParser p, String file, String text, int depth)
            throws IOException {
        Location at = loc(p.currentTokenLocation(), file);
        JsonToken t = p.currentToken();
        refuseAliases(p, at);
        if (depth > MAX_DEPTH && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
            throw new YamlException(
                    at, "maps and lists nest deeper than " + MAX_DEPTH + " levels here");
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = loc(p.currentTokenLocation(), file);
                    refuseAliases(p, keyAt);
                    if (entries.containsKey(key)) {
                        throw new YamlException(
                                keyAt,
                                "duplicate key "
                                        + Quote.of(key)
                                        + " (first at line "
                                        + entries.get(key).keyLocation().line()
                                        + ")");
                    }
                    p.nextToken();
                    entries.put(key, new Entry(key, keyAt, readValue(p, file, text, depth + 1)));
                }
                return new YMap(entries, at);
            }
            case START_ARRAY -> {
                List<YNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(p, file, text, depth + 1));
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
                    v = p.getBigIntegerValue(); // refused with its range by whoever reads it
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
            default ->
                    throw new YamlException(
                            at,
                            "unsupported YAML value (a binary or other tagged value);"
                                    + " write it as plain text");
        }
    }

    /**
     * Aliases ({@code *name}) are refused where they are written: Jackson would read one as the
     * plain string {@code name}. (An anchor alone changes nothing and is read past.)
     */
    private static void refuseAliases(JsonParser p, Location at) throws IOException {
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            throw new YamlException(
                    at,
                    "YAML aliases (*"
                            + Quote.cut(p.getText())
                            + ") are not supported; write the value out here");
        }
    }

    /**
     * For quoted scalars, the column of the first character inside the quotes; for block scalars
     * ({@code |}, {@code >}), the first character of their first line.
     */
    private static Location contentStart(JsonParser p, Location at, String text) {
        long offset = p.currentTokenLocation().getCharOffset();
        if (offset >= 0 && offset < text.length()) {
            char c = text.charAt((int) offset);
            if (c == '"' || c == '\'') {
                return new Location(at.file(), at.line(), at.column() + 1);
            }
            if (c == '|' || c == '>') {
                int eol = text.indexOf('\n', (int) offset);
                if (eol >= 0) {
                    int i = eol + 1;
                    while (i < text.length() && text.charAt(i) == ' ') {
                        i++;
                    }
                    return new Location(at.file(), at.line() + 1, i - eol);
                }
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
                return new YScalar(new BigInteger(s), text, at);
            }
        }
        if (s.matches("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
            return new YScalar(Double.parseDouble(s), text, at);
        }
        return new YScalar(text, text, at);
    }

    /** The line and column of the {@code index}-th code point of {@code text}. */
    private static Location at(String text, int index, String file) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int n = 0; n < index && i < text.length(); n++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i = text.offsetByCodePoints(i, 1);
        }
        return new Location(file, line, column);
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
        line = nl < 0 ? line : line.substring(0, nl).strip();
        // Parser internals such as <org.yaml.snakeyaml.events.SequenceStartEvent(...)> become
        // words.
        line =
                PARSER_EVENT
                        .matcher(line)
                        .replaceAll(
                                m ->
                                        switch (m.group(1)) {
                                            case "SequenceStart" -> "a list";
                                            case "MappingStart" -> "a map";
                                            case "Scalar" -> "a value";
                                            case "Alias" -> "an alias";
                                            default -> "YAML syntax";
                                        });
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
