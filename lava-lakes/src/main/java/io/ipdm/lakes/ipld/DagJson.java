package io.ipdm.lakes.ipld;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multibase;
import io.ipdm.multiformats.MultiformatException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DAG-JSON decoding (<a href="https://ipld.io/specs/codecs/dag-json/spec/">spec</a>) into the same
 * data model as {@link DagCbor}: {@code {"/": "cid"}} is a link, {@code {"/": {"bytes": "b64"}}} is
 * bytes. Decode only: Lava Lakes stores dag-cbor, and reads dag-json to check fixtures and forms.
 */
public final class DagJson {
    private final String s;
    private int pos;

    private DagJson(String s) {
        this.s = s;
    }

    public static Object decode(String json) {
        DagJson p = new DagJson(json);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != json.length()) {
            throw p.error("trailing characters after the value");
        }
        return v;
    }

    private CodecException error(String what) {
        return new CodecException("dag-json: " + what + " at offset " + pos);
    }

    private void ws() {
        while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        return s.charAt(pos);
    }

    private Object value(int depth) {
        if (depth > 512) {
            throw error("nesting too deep");
        }
        char c = peek();
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected character '" + s.charAt(pos) + "'");
        }
        pos += word.length();
        return v;
    }

    private Object number() {
        int start = pos;
        boolean isFloat = false;
        while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
            isFloat |= ".eE".indexOf(s.charAt(pos)) >= 0;
            pos++;
        }
        String t = s.substring(start, pos);
        if (t.isEmpty()) {
            throw error("unexpected character '" + s.charAt(pos) + "'");
        }
        try {
            if (isFloat) {
                return Double.parseDouble(t);
            }
            BigInteger bi = new BigInteger(t);
            return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
        } catch (NumberFormatException e) {
            throw error("bad number '" + t + "'");
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> out = new ArrayList<>();
        ws();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            ws();
            out.add(value(depth + 1));
            ws();
            char c = peek();
            pos++;
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private Object object(int depth) {
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            ws();
            if (peek() != ':') {
                throw error("expected ':'");
            }
            pos++;
            ws();
            Object v = value(depth + 1);
            if (out.containsKey(key)) {
                throw error("duplicate map key \"" + key + "\"");
            }
            out.put(key, v);
            ws();
            char c = peek();
            pos++;
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
        return special(out);
    }

    private Object special(Map<String, Object> m) {
        if (m.size() != 1 || !m.containsKey("/")) {
            return m;
        }
        Object slash = m.get("/");
        try {
            if (slash instanceof String cid) {
                return Cid.parse(cid);
            }
            if (slash instanceof Map<?, ?> inner
                    && inner.size() == 1
                    && inner.get("bytes") instanceof String b64) {
                return Multibase.BASE64.decodeBody(b64);
            }
        } catch (MultiformatException e) {
            throw error("bad link or bytes: " + e.getMessage());
        }
        return m;
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = peek();
            pos++;
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = peek();
            pos++;
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw error("bad escape '\\" + e + "'");
            }
        }
    }
}
