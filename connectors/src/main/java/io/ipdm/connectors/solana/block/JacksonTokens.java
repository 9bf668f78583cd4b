package io.ipdm.connectors.solana.block;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@link JsonTokens} over a Jackson parser: for input that is already a tree ({@code
 * treeAsTokens}), and as the benchmark's "previous decoder" over bytes. Jackson's complaints become
 * {@link MalformedJson} with line, column and byte offset and without option names.
 */
final class JacksonTokens implements JsonTokens {
    private final JsonParser p;
    private byte[] raw = new byte[1024];
    private int rawEnd;

    JacksonTokens(JsonParser p) {
        this.p = p;
    }

    @Override
    public JsonToken next() {
        try {
            return p.nextToken();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public String name() {
        try {
            return p.currentName();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public String text() {
        try {
            return p.getText();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public boolean textEquals(String ascii) {
        return ascii.equals(text());
    }

    @Override
    public byte[] rawText() {
        try {
            int n = p.getTextLength();
            char[] c = p.getTextCharacters();
            int off = p.getTextOffset();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) {
                ascii = c[off + i] < 0x80;
            }
            byte[] utf8 = ascii ? null : new String(c, off, n).getBytes(StandardCharsets.UTF_8);
            if (utf8 != null) {
                n = utf8.length;
            }
            if (raw.length < n) {
                raw = new byte[Math.max(n, raw.length * 2)];
            }
            for (int i = 0; i < n; i++) {
                raw[i] = ascii ? (byte) c[off + i] : utf8[i];
            }
            rawEnd = n;
            return raw;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public int rawStart() {
        return 0;
    }

    @Override
    public int rawEnd() {
        return rawEnd;
    }

    @Override
    public JsonParser.NumberType numberType() {
        try {
            return p.getNumberType();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public long longValue() {
        try {
            return p.getLongValue();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public void skipChildren() {
        try {
            p.skipChildren();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public JsonNode readTree() {
        try {
            return p.readValueAsTree();
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public String json() {
        return readTree().toString();
    }

    @Override
    public String location() {
        return place(p.currentTokenLocation());
    }

    @Override
    public void close() {
        try {
            p.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String place(JsonLocation l) {
        if (l == null || l.getLineNr() < 0) {
            return "";
        }
        return " at line "
                + l.getLineNr()
                + ", column "
                + l.getColumnNr()
                + (l.getByteOffset() >= 0 ? " (byte " + l.getByteOffset() + ")" : "");
    }

    private static RuntimeException malformed(IOException e) {
        if (e instanceof JsonProcessingException j) {
            return new MalformedJson(jsonError(j));
        }
        return new UncheckedIOException(e);
    }

    /** Jackson's complaint without its source dump and option names, with line/column/byte. */
    static String jsonError(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (msg == null) {
            msg = "unreadable";
        }
        for (String cut : new String[] {" (start marker at", "\n at [Source", "\n"}) {
            int i = msg.indexOf(cut);
            if (i >= 0) {
                msg = msg.substring(0, i);
            }
        }
        msg = msg.replaceAll(": enable `[^`]*` to allow", "").replace("`", "'");
        for (JsonToken t : JsonToken.values()) {
            if (msg.contains(t.name())) {
                msg = msg.replace(t.name(), GetBlockDecoder.describe(t));
            }
        }
        JsonLocation l = e.getLocation();
        String loc = l != null && l.getLineNr() > 0 ? place(l) : "";
        return "not valid JSON" + loc + ": " + msg;
    }
}
