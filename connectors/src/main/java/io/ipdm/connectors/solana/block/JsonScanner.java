package io.ipdm.connectors.solana.block;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.END_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_FALSE;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;
import static com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A pull tokenizer straight over UTF-8 JSON bytes (RFC 8259): the getBlock decoder's hot path.
 *
 * <p>What it refuses, as Jackson's parser it replaced does: bad grammar (missing or extra commas
 * and colons, mismatched brackets, a name that is not a string), bad strings (unescaped control
 * characters, unknown escapes, a {@code \\u} without four hex digits, a UTF-8 start byte that
 * starts nothing, a continuation byte that is not 10xxxxxx, a string cut by the end), bad numbers
 * (leading zeros, no digit after {@code -}, {@code .} or the exponent, more than {@value
 * #MAX_NUMBER_LENGTH} characters), misspelled literals, nesting deeper than {@value #MAX_DEPTH}.
 * Content after the root value is returned as more tokens (the caller refuses it). The errors are
 * {@link MalformedJson} with line, column and byte offset.
 *
 * <p>Why it is faster than a general tokenizer: nothing is built that the caller does not ask for.
 * Strings are found, checked and left in place (8 bytes per step: a quote, a backslash, a control
 * or a non-ASCII byte stops the step); their text is made only by {@link #text} or read in place
 * through {@link #rawText} (the wire transactions). Field names the decoder knows are shared
 * strings looked up by their bytes. {@link #skipChildren} checks the skipped subtree with the same
 * rules but builds no names and converts no numbers; compact JSON (no white space between tokens,
 * as RPC servers write it) goes through small recursive methods that keep no per-token state, and
 * anything else through a general loop.
 *
 * <p>Tested against Jackson on every real file and on corrupted ones ({@code JsonScannerTest}). Not
 * thread-safe.
 */
final class JsonScanner implements JsonTokens {
    static final int MAX_DEPTH = 1000;
    static final int MAX_NUMBER_LENGTH = 1000;

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;
    private static final long NIBBLES = 0xF0F0F0F0F0F0F0F0L;
    private static final long ZEROS = 0x3030303030303030L;
    private static final long SIXES = 0x0606060606060606L;

    private final byte[] b;
    private final int end;
    private final boolean places;
    private int pos;

    private JsonToken token;
    private int tokenStart;
    private boolean afterName;
    private int depth;
    private long[] objects = new long[1];
    private boolean first;

    private int strStart;
    private int strEnd;
    private boolean strEscaped;
    private boolean strAscii;
    private String name;
    private long num;
    private NumberType numType;
    private byte[] scratch;
    private int rawFrom;
    private int rawTo;

    /**
     * @param places whether errors give line, column and byte (false for bytes the caller made,
     *     whose offsets would mean nothing to a user)
     */
    JsonScanner(byte[] json, boolean places) {
        this(json, 0, json.length, places);
    }

    /** Over the value in {@code json[from, to)}; places stay offsets in the whole array. */
    private JsonScanner(byte[] json, int from, int to, boolean places) {
        this.b = json;
        this.end = to;
        this.places = places;
        this.pos = from;
        if (from > 0) {
            return;
        }
        if (end >= 3
                && json[0] == (byte) 0xEF
                && json[1] == (byte) 0xBB
                && json[2] == (byte) 0xBF) {
            pos = 3; // a UTF-8 byte order mark
        }
    }

    // ---------------------------------------------------------------- tokens

    @Override
    public JsonToken next() {
        JsonToken t = advance(true);
        token = t;
        return t;
    }

    /** One token; with {@code build} false, names and numbers are checked but not made. */
    private JsonToken advance(boolean build) {
        int c = skipSpace();
        if (afterName) {
            afterName = false;
            return value(c, build);
        }
        if (depth == 0) {
            return c < 0 ? null : value(c, build);
        }
        boolean object = (objects[(depth - 1) >>> 6] & (1L << (depth - 1))) != 0;
        if (c == (object ? '}' : ']')) {
            tokenStart = pos - 1;
            depth--;
            first = false;
            return object ? END_OBJECT : END_ARRAY;
        }
        if (!first) {
            if (c != ',') {
                throw c < 0
                        ? fail(
                                pos,
                                "unexpected end-of-input: expected close marker for "
                                        + kind(object))
                        : fail(
                                pos - 1,
                                "unexpected character "
                                        + show(c)
                                        + ": expected a comma to separate "
                                        + kind(object)
                                        + " entries or '"
                                        + (object ? '}' : ']')
                                        + "'");
            }
            c = skipSpace();
        }
        first = false;
        if (!object) {
            return value(c, build);
        }
        if (c != '"') {
            throw c < 0
                    ? fail(pos, "unexpected end-of-input: expected a field name")
                    : fail(
                            pos - 1,
                            "unexpected character "
                                    + show(c)
                                    + ": expected a field name (a string in double quotes)");
        }
        tokenStart = pos - 1;
        string();
        if (build) {
            name = strEscaped ? decode() : knownName();
        }
        c = skipSpace();
        if (c != ':') {
            throw c < 0
                    ? fail(pos, "unexpected end-of-input: expected ':' after a field name")
                    : fail(
                            pos - 1,
                            "unexpected character "
                                    + show(c)
                                    + ": expected ':' after a field name");
        }
        afterName = true;
        return FIELD_NAME;
    }

    private static String kind(boolean object) {
        return object ? "object" : "array";
    }

    /** The next byte that is not white space (consumed), or -1 at the end. */
    private int skipSpace() {
        byte[] b = this.b;
        int p = pos;
        while (p < end) {
            int c = b[p++] & 0xff;
            if (c > ' ') {
                pos = p;
                return c;
            }
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                throw fail(p - 1, "unexpected control character (code " + c + ") outside a string");
            }
        }
        pos = p;
        return -1;
    }

    private JsonToken value(int c, boolean build) {
        tokenStart = pos - 1;
        switch (c) {
            case '{' -> {
                push(true);
                return START_OBJECT;
            }
            case '[' -> {
                push(false);
                return START_ARRAY;
            }
            case '"' -> {
                string();
                return VALUE_STRING;
            }
            case 't' -> {
                literal("true");
                return VALUE_TRUE;
            }
            case 'f' -> {
                literal("false");
                return VALUE_FALSE;
            }
            case 'n' -> {
                literal("null");
                return VALUE_NULL;
            }
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                return number(c, build);
            }
            case -1 -> {
                tokenStart = end;
                throw fail(end, "unexpected end-of-input: expected a value");
            }
            default -> {
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                    literal(null);
                }
                throw fail(
                        pos - 1,
                        "unexpected character "
                                + show(c)
                                + ": expected a value (a string, number, array, object, true,"
                                + " false or null)");
            }
        }
    }

    private void push(boolean object) {
        if (depth == MAX_DEPTH) {
            throw fail(pos - 1, "nesting deeper than " + MAX_DEPTH + " levels");
        }
        int word = depth >>> 6;
        if (word == objects.length) {
            objects = java.util.Arrays.copyOf(objects, word * 2);
        }
        long bit = 1L << depth;
        objects[word] = object ? objects[word] | bit : objects[word] & ~bit;
        depth++;
        first = true;
    }

    /** {@code true}, {@code false} or {@code null}, not followed by more of a word. */
    private void literal(String word) {
        int start = pos - 1;
        int p = start;
        while (p < end && isWordByte(b[p] & 0xff)) {
            p++;
        }
        if (word == null || p - start != word.length() || !startsWith(start, word)) {
            String got = new String(b, start, Math.min(p - start, 40), StandardCharsets.UTF_8);
            throw fail(
                    start,
                    "unrecognized token '"
                            + got
                            + "': expected a string, number, array, object, true, false or null");
        }
        pos = p;
    }

    private static boolean isWordByte(int c) {
        return c >= 'a' && c <= 'z'
                || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9'
                || c == '_'
                || c == '$'
                || c >= 0x80;
    }

    private boolean startsWith(int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private JsonToken number(int c, boolean build) {
        int start = pos - 1;
        byte[] b = this.b;
        int p = pos;
        boolean negative = c == '-';
        if (negative) {
            if (p >= end) {
                throw fail(p, "unexpected end-of-input in a number");
            }
            c = b[p++];
            if (c < '0' || c > '9') {
                throw fail(p - 1, "a number has no digit after '-'");
            }
        }
        long v = c - '0';
        int digitsFrom = p - 1;
        if (c == '0' && p < end && b[p] >= '0' && b[p] <= '9') {
            throw fail(p - 1, "a number has a leading zero");
        }
        while (p < end && (c = b[p]) >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            p++;
        }
        int digits = p - digitsFrom;
        boolean decimal = false;
        if (p < end && b[p] == '.') {
            int from = ++p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == from) {
                throw fail(p, "a number has no digit after its decimal point");
            }
            decimal = true;
        }
        if (p < end && (b[p] | 0x20) == 'e') {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int from = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == from) {
                throw fail(p, "a number has no digit in its exponent");
            }
            decimal = true;
        }
        pos = p;
        if (p - start > MAX_NUMBER_LENGTH) {
            throw fail(start, "a number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        if (decimal) {
            return VALUE_NUMBER_FLOAT;
        }
        if (build) {
            if (digits <= 18) {
                num = negative ? -v : v;
                numType = num == (int) num ? NumberType.INT : NumberType.LONG;
            } else {
                BigInteger big =
                        new BigInteger(
                                new String(b, start, p - start, StandardCharsets.ISO_8859_1));
                if (big.bitLength() < 64) {
                    num = big.longValue();
                    numType = num == (int) num ? NumberType.INT : NumberType.LONG;
                } else {
                    numType = NumberType.BIG_INTEGER;
                }
            }
        }
        return VALUE_NUMBER_INT;
    }

    /**
     * Finds the end of the string whose opening quote was just read, checking it; leaves its span,
     * whether it has escapes and whether it is ASCII.
     */
    private void string() {
        byte[] b = this.b;
        int p = pos;
        int start = p;
        boolean escaped = false;
        boolean ascii = true;
        while (true) {
            p = stringStop(p);
            if (p >= end) {
                throw fail(end, "unexpected end-of-input in a string");
            }
            int c = b[p] & 0xff;
            if (c == '"') {
                strStart = start;
                strEnd = p;
                strEscaped = escaped;
                strAscii = ascii;
                pos = p + 1;
                return;
            }
            int next = stringPart(p, c);
            if (next < 0) {
                throw badStringPart(p, c);
            }
            escaped |= c == '\\';
            ascii &= c < 0x80;
            p = next;
        }
    }

    /**
     * The first quote, backslash, control or non-ASCII byte at or after {@code p} (or the end): 8
     * bytes per step, the string scan of both reading and skipping (16 per step measured slower:
     * most strings are names and keys shorter than that).
     */
    private int stringStop(int p) {
        final byte[] b = this.b;
        final int end = this.end;
        while (p + 8 <= end) {
            long m = stops((long) LONGS.get(b, p));
            if (m != 0) {
                return p + (Long.numberOfTrailingZeros(m) >>> 3);
            }
            p += 8;
        }
        while (p < end) {
            int c = b[p] & 0xff;
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) {
                return p;
            }
            p++;
        }
        return p;
    }

    /**
     * The high bit of each byte of {@code v} that is a quote, backslash, control or non-ASCII byte;
     * the lowest one is the first such byte (borrows only flag bytes above a true hit).
     */
    private static long stops(long v) {
        long q = v ^ QUOTES;
        long s = v ^ BACKSLASHES;
        return (((q - ONES) & ~q) | ((s - ONES) & ~s) | (v - SPACES) | v) & HIGHS;
    }

    /**
     * The end of the escape or UTF-8 sequence starting with {@code c} (a backslash, control or
     * non-ASCII byte) at {@code p}, or -1 when it is not well-formed ({@link #badStringPart} says
     * why).
     */
    private int stringPart(int p, int c) {
        final byte[] b = this.b;
        if (c == '\\') {
            if (p + 1 >= end) {
                return -1;
            }
            int e = b[p + 1];
            if (e == 'u') {
                return p + 6 <= end
                                && (hex(b[p + 2]) | hex(b[p + 3]) | hex(b[p + 4]) | hex(b[p + 5]))
                                        >= 0
                        ? p + 6
                        : -1;
            }
            return e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                            || e == 't'
                    ? p + 2
                    : -1;
        }
        if (c < 0x80) {
            return -1; // a control character
        }
        int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || p + n > end) {
            return -1;
        }
        for (int i = p + 1; i < p + n; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return p + n;
    }

    /** What is wrong with the sequence at {@code p} that {@link #stringPart} refused. */
    private MalformedJson badStringPart(int p, int c) {
        if (c == '\\') {
            if (p + 1 >= end) {
                return fail(end, "unexpected end-of-input in a string");
            }
            int e = b[p + 1] & 0xff;
            if (e != 'u') {
                return fail(p + 1, "unrecognized character escape " + show(e) + " in a string");
            }
            for (int i = p + 2; i < p + 6; i++) {
                if (i >= end) {
                    return fail(end, "unexpected end-of-input in a string");
                }
                if (hex(b[i]) < 0) {
                    return fail(
                            i,
                            "unexpected character "
                                    + show(b[i] & 0xff)
                                    + " in a \\u escape: expected a hex digit");
                }
            }
        } else if (c < 0x80) {
            return fail(
                    p,
                    "unescaped control character (code "
                            + c
                            + ") in a string: it must be escaped with a backslash");
        } else if ((c & 0xE0) != 0xC0 && (c & 0xF0) != 0xE0 && (c & 0xF8) != 0xF0) {
            return fail(p, "invalid UTF-8 start byte " + hexByte(c));
        } else {
            int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
            for (int i = p + 1; i < p + n; i++) {
                if (i >= end) {
                    return fail(end, "unexpected end-of-input in a string");
                }
                if ((b[i] & 0xC0) != 0x80) {
                    return fail(i, "invalid UTF-8 middle byte " + hexByte(b[i] & 0xff));
                }
            }
        }
        throw new IllegalStateException("a well-formed string part was refused at byte " + p);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int l = c | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    @Override
    public JsonTokens deferValue() {
        if (token != START_OBJECT && token != START_ARRAY) {
            return null;
        }
        int start = tokenStart;
        skipChildren();
        return new JsonScanner(b, start, pos, places);
    }

    @Override
    public void skipChildren() {
        if (token != START_OBJECT && token != START_ARRAY) {
            return;
        }
        compactLimit = Math.min(MAX_DEPTH, depth + COMPACT_NESTING);
        int q = token == START_OBJECT ? compactObject(pos, depth) : compactArray(pos, depth);
        if (q >= 0) {
            tokenStart = q - 1;
            token = token == START_OBJECT ? END_OBJECT : END_ARRAY;
            pos = q;
            depth--;
            first = false;
            afterName = false;
            return;
        }
        int outer = depth - 1;
        JsonToken t = null;
        while (depth > outer) {
            // The fast loop stops before anything it does not take on trust; the general
            // tokenizer then takes that one token (and says what is wrong with it, if anything).
            t = skipFast(outer) ? null : advance(false);
        }
        token = t != null ? t : lastEnd;
    }

    @Override
    public long skipObjectKeepingInt(byte[] name) {
        if (token != START_OBJECT) {
            return NOT_TAKEN;
        }
        compactLimit = Math.min(MAX_DEPTH, depth + COMPACT_NESTING);
        final byte[] b = this.b;
        final int end = this.end;
        int p = pos;
        long found = NOT_TAKEN;
        if (p >= end) {
            return NOT_TAKEN;
        }
        if (b[p] == '}') {
            return NOT_TAKEN;
        }
        while (true) {
            if (b[p] != '"') {
                return NOT_TAKEN;
            }
            int nameStart = p + 1;
            // a name with an escape or a non-ASCII byte goes the general way (it may decode to
            // the name looked for)
            p = stringStop(nameStart);
            if (p + 1 >= end || b[p] != '"' || b[p + 1] != ':') {
                return NOT_TAKEN;
            }
            int nameEnd = p;
            p += 2;
            if (p >= end) {
                return NOT_TAKEN;
            }
            if (nameEnd - nameStart == name.length
                    && java.util.Arrays.equals(b, nameStart, nameEnd, name, 0, name.length)) {
                int from = p;
                long v = 0;
                int c;
                while (p < end && (c = b[p]) >= '0' && c <= '9') {
                    v = v * 10 + (c - '0');
                    p++;
                }
                int digits = p - from;
                if (found != NOT_TAKEN // twice: the general way decides
                        || digits == 0
                        || digits > 9
                        || digits > 1 && b[from] == '0'
                        || p >= end
                        || b[p] != ',' && b[p] != '}') {
                    return NOT_TAKEN;
                }
                found = v;
            } else {
                p = b[p] == '"' ? skipString(p + 1) : compactValue(p, depth);
                if (p < 0 || p >= end) {
                    return NOT_TAKEN;
                }
            }
            int c = b[p];
            if (c != ',') {
                if (c != '}' || found == NOT_TAKEN) {
                    return NOT_TAKEN;
                }
                p++;
                break;
            }
            if (++p >= end) {
                return NOT_TAKEN;
            }
        }
        tokenStart = p - 1;
        token = END_OBJECT;
        pos = p;
        depth--;
        first = false;
        afterName = false;
        return found;
    }

    private JsonToken lastEnd;

    /**
     * How deep {@link #compactValue} recurses below the skipped container before it leaves the rest
     * to the general loop (which has no recursion): real responses nest a few levels.
     */
    private static final int COMPACT_NESTING = 48;

    private int compactLimit;

    /*
     * The fast path of skipChildren: compact JSON (no white space between tokens), as RPC
     * servers write it, checked by small recursive methods with no per-token state to keep (the
     * general loop's bookkeeping was most of the cost of skipping log messages and token
     * balances). Strings, numbers and literals are checked by the same methods as everywhere
     * (escapes and UTF-8 included). Anything else (white space, an error, deep nesting) gives -1,
     * and the general loop skips the container again from its start and says what is wrong.
     */

    /** The end of the compact value at {@code p < end}, or -1; {@code d} containers are open. */
    private int compactValue(int p, int d) {
        int c = b[p];
        if (c == '"') {
            return skipString(p + 1);
        }
        if (c >= '0' && c <= '9' || c == '-') {
            return skipNumber(p);
        }
        if (c == '{' || c == '[') {
            if (d >= compactLimit) {
                return -1;
            }
            return c == '{' ? compactObject(p + 1, d + 1) : compactArray(p + 1, d + 1);
        }
        return switch (c) {
            case 't' -> skipWord(p, "true");
            case 'f' -> skipWord(p, "false");
            case 'n' -> skipWord(p, "null");
            default -> -1;
        };
    }

    /** The end of the compact array whose '[' is before {@code p}, or -1. */
    private int compactArray(int p, int d) {
        final byte[] b = this.b;
        final int end = this.end;
        if (p >= end) {
            return -1;
        }
        if (b[p] == ']') {
            return p + 1;
        }
        while (true) {
            p = b[p] == '"' ? skipString(p + 1) : compactValue(p, d);
            if (p < 0 || p >= end) {
                return -1;
            }
            int c = b[p];
            if (c != ',') {
                return c == ']' ? p + 1 : -1;
            }
            if (++p >= end) {
                return -1;
            }
        }
    }

    /** The end of the compact object whose '{' is before {@code p}, or -1. */
    private int compactObject(int p, int d) {
        final byte[] b = this.b;
        final int end = this.end;
        if (p >= end) {
            return -1;
        }
        if (b[p] == '}') {
            return p + 1;
        }
        while (true) {
            if (b[p] != '"' || (p = skipString(p + 1)) < 0 || p + 1 >= end || b[p] != ':') {
                return -1;
            }
            p++;
            p = b[p] == '"' ? skipString(p + 1) : compactValue(p, d);
            if (p < 0 || p >= end) {
                return -1;
            }
            int c = b[p];
            if (c != ',') {
                return c == '}' ? p + 1 : -1;
            }
            if (++p >= end) {
                return -1;
            }
        }
    }

    /**
     * Skips well-formed JSON with everything in locals until the container at {@code outer + 1}
     * closes (true), or stops before a token it would have to refuse or look at closer (false:
     * fields hold the state before that token).
     */
    private boolean skipFast(int outer) {
        final byte[] b = this.b;
        final int end = this.end;
        final long[] objs = objects;
        int p = pos;
        int d = depth;
        boolean first = this.first;
        boolean named = this.afterName;
        // whether the innermost open container is an object (d > outer >= 0 throughout)
        boolean object = (objs[(d - 1) >>> 6] & (1L << (d - 1))) != 0;
        while (true) {
            int at = p;
            int d0 = d;
            boolean first0 = first;
            boolean named0 = named;
            // compact JSON has no white space between tokens: one compare finds there is none
            if (p < end && (b[p] & 0xff) <= ' ') {
                p = space(p);
            }
            if (p >= end) {
                return stop(at, d0, first0, named0);
            }
            int c = b[p] & 0xff;
            if (!named) {
                if (c == (object ? '}' : ']')) {
                    p++;
                    d--;
                    first = false;
                    if (d == outer) {
                        tokenStart = p - 1;
                        lastEnd = object ? END_OBJECT : END_ARRAY;
                        pos = p;
                        depth = d;
                        this.first = false;
                        this.afterName = false;
                        return true;
                    }
                    object = (objs[(d - 1) >>> 6] & (1L << (d - 1))) != 0;
                    continue;
                }
                if (!first) {
                    if (c != ',') {
                        return stop(at, d0, first0, named0);
                    }
                    p++;
                    if (p < end && (b[p] & 0xff) <= ' ') {
                        p = space(p);
                    }
                    if (p >= end) {
                        return stop(at, d0, first0, named0);
                    }
                    c = b[p] & 0xff;
                }
                first = false;
                if (object) {
                    if (c != '"' || (p = skipString(p + 1)) < 0) {
                        return stop(at, d0, first0, named0);
                    }
                    if (p < end && b[p] != ':') {
                        p = space(p);
                    }
                    if (p >= end || b[p] != ':') {
                        return stop(at, d0, first0, named0);
                    }
                    p++;
                    if (p < end && (b[p] & 0xff) <= ' ') {
                        p = space(p);
                    }
                    if (p >= end) {
                        return stop(at, d0, first0, named0);
                    }
                    c = b[p] & 0xff;
                }
            }
            named = false;
            switch (c) {
                case '{', '[' -> {
                    if (d == MAX_DEPTH || (d >>> 6) >= objs.length) {
                        return stop(at, d0, first0, named0);
                    }
                    long bit = 1L << d;
                    object = c == '{';
                    objs[d >>> 6] = object ? objs[d >>> 6] | bit : objs[d >>> 6] & ~bit;
                    d++;
                    first = true;
                    p++;
                }
                case '"' -> p = skipString(p + 1);
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> p = skipNumber(p);
                case 't' -> p = skipWord(p, "true");
                case 'f' -> p = skipWord(p, "false");
                case 'n' -> p = skipWord(p, "null");
                default -> p = -1;
            }
            if (p < 0) {
                return stop(at, d0, first0, named0);
            }
        }
    }

    /** The first byte from {@code p} that is not JSON white space (or the end). */
    private int space(int p) {
        final byte[] b = this.b;
        int c;
        while (p < end && ((c = b[p]) == ' ' || c == '\n' || c == '\r' || c == '\t')) {
            p++;
        }
        return p;
    }

    private boolean stop(int at, int d, boolean first, boolean named) {
        pos = at;
        depth = d;
        this.first = first;
        this.afterName = named;
        return false;
    }

    /** The end of a well-formed string whose quote is before {@code p}, or -1. */
    private int skipString(int p) {
        while (true) {
            p = stringStop(p);
            if (p >= end) {
                return -1;
            }
            int c = b[p] & 0xff;
            if (c == '"') {
                return p + 1;
            }
            if ((p = stringPart(p, c)) < 0) {
                return -1;
            }
        }
    }

    /** The end of a well-formed number starting at {@code p}, or -1. */
    private int skipNumber(int p) {
        final byte[] b = this.b;
        int start = p;
        if (b[p] == '-') {
            p++;
        }
        if (p >= end || b[p] < '0' || b[p] > '9') {
            return -1;
        }
        if (b[p] == '0') {
            if (++p < end && b[p] >= '0' && b[p] <= '9') {
                return -1;
            }
        } else {
            p = digits(p + 1);
        }
        if (p < end && b[p] == '.') {
            int from = ++p;
            if ((p = digits(p)) == from) {
                return -1;
            }
        }
        if (p < end && (b[p] | 0x20) == 'e') {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int from = p;
            if ((p = digits(p)) == from) {
                return -1;
            }
        }
        return p - start > MAX_NUMBER_LENGTH ? -1 : p;
    }

    /** The end of the run of ASCII digits from {@code p}, 8 bytes per step. */
    private int digits(int p) {
        final byte[] b = this.b;
        while (p + 8 <= end) {
            long v = (long) LONGS.get(b, p);
            // a byte is a digit when it is 0x3_ and still 0x3_ plus 6; a carry out of a
            // non-digit byte only reaches bytes after it
            long m = ((v & NIBBLES) ^ ZEROS) | (((v + SIXES) & NIBBLES) ^ ZEROS);
            if (m != 0) {
                return p + (Long.numberOfTrailingZeros(m) >>> 3);
            }
            p += 8;
        }
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        return p;
    }

    private int skipWord(int p, String word) {
        int n = word.length();
        if (p + n > end || !startsWith(p, word) || p + n < end && isWordByte(b[p + n] & 0xff)) {
            return -1;
        }
        return p + n;
    }

    // ---------------------------------------------------------------- values

    @Override
    public String name() {
        return name;
    }

    @Override
    public String text() {
        JsonToken t = token;
        if (t == FIELD_NAME) {
            return name;
        }
        if (t == VALUE_STRING) {
            if (strEscaped) {
                return decode();
            }
            return new String(
                    b,
                    strStart,
                    strEnd - strStart,
                    strAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        if (t == null) {
            return null;
        }
        if (t.isScalarValue()) {
            return new String(b, tokenStart, pos - tokenStart, StandardCharsets.ISO_8859_1);
        }
        return t.asString();
    }

    @Override
    public boolean textEquals(String ascii) {
        if (token != VALUE_STRING || strEscaped) {
            return ascii.equals(text());
        }
        return strEnd - strStart == ascii.length() && startsWith(strStart, ascii);
    }

    @Override
    public byte[] rawText() {
        if (!strEscaped) {
            rawFrom = strStart;
            rawTo = strEnd;
            return b;
        }
        byte[] utf8 = decode().getBytes(StandardCharsets.UTF_8);
        if (scratch == null || scratch.length < utf8.length) {
            scratch = new byte[Math.max(utf8.length, 256)];
        }
        System.arraycopy(utf8, 0, scratch, 0, utf8.length);
        rawFrom = 0;
        rawTo = utf8.length;
        return scratch;
    }

    @Override
    public int rawStart() {
        return rawFrom;
    }

    @Override
    public int rawEnd() {
        return rawTo;
    }

    @Override
    public NumberType numberType() {
        return numType;
    }

    @Override
    public long longValue() {
        if (numType == NumberType.BIG_INTEGER) {
            throw fail(tokenStart, "numeric value (" + text() + ") out of range of a long");
        }
        return num;
    }

    @Override
    public JsonNode readTree() {
        int start = tokenStart;
        skipChildren();
        try {
            return GetBlockDecoder.MAPPER.readTree(b, start, pos - start);
        } catch (IOException e) {
            throw new IllegalStateException("checked JSON did not parse", e);
        }
    }

    /**
     * The value's own bytes when Jackson would write them back unchanged (no white space, escapes,
     * non-ASCII, decimals, {@code -0}, or objects of more than one field, which a tree would
     * de-duplicate), which is what transaction errors look like; otherwise through a tree.
     */
    @Override
    public String json() {
        int start = tokenStart;
        skipChildren();
        int stop = pos;
        long objects = 0; // bit d: the bracket open at depth d is an object
        int level = 0;
        boolean inString = false;
        for (int i = start; i < stop; i++) {
            int c = b[i] & 0xff;
            if (inString) {
                if (c == '"') {
                    inString = false;
                } else if (c == '\\' || c >= 0x80) {
                    return slowJson(start, stop);
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '{', '[' -> {
                    if (++level >= 64) {
                        return slowJson(start, stop);
                    }
                    objects = c == '{' ? objects | 1L << level : objects & ~(1L << level);
                }
                case '}', ']' -> level--;
                case ',' -> {
                    if ((objects & 1L << level) != 0) {
                        return slowJson(start, stop);
                    }
                }
                case '-' -> {
                    if (b[i + 1] == '0') {
                        return slowJson(start, stop);
                    }
                }
                case ' ', '\t', '\n', '\r', '.', 'e', 'E' -> {
                    return slowJson(start, stop);
                }
                default -> {}
            }
        }
        return new String(b, start, stop - start, StandardCharsets.ISO_8859_1);
    }

    private String slowJson(int start, int stop) {
        try {
            return GetBlockDecoder.MAPPER.readTree(b, start, stop - start).toString();
        } catch (IOException e) {
            throw new IllegalStateException("checked JSON did not parse", e);
        }
    }

    @Override
    public String location() {
        return places ? place(tokenStart) : "";
    }

    @Override
    public void close() {}

    /** A field name the decoder knows, shared; any other one made from its bytes. */
    private String knownName() {
        int s = strStart;
        int n = strEnd - s;
        if (n == 0) {
            return "";
        }
        int mask = NAME_TABLE.length - 1;
        for (int i = nameHash(b[s], b[s + (n >>> 1)], b[strEnd - 1], n) & mask;
                ;
                i = (i + 1) & mask) {
            byte[] k = NAME_BYTES[i];
            if (k == null) {
                break;
            }
            if (k.length == n && sameName(s, n, NAME_WORDS[i])) {
                return NAME_TABLE[i];
            }
        }
        return new String(b, s, n, strAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /**
     * Whether the {@code n} bytes at {@code s} are the known name whose {@link #words} are given:
     * whole 8-byte words, the last one overlapping the one before (a call to {@code Arrays.equals}
     * per name was 5-8% of a decode).
     */
    private boolean sameName(int s, int n, long[] words) {
        byte[] b = this.b;
        if (n < 8) {
            if (s + 8 > b.length) {
                for (int i = 0; i < n; i++) {
                    if (b[s + i] != (byte) (words[0] >>> (i << 3))) {
                        return false;
                    }
                }
                return true;
            }
            return ((long) LONGS.get(b, s) & ((1L << (n << 3)) - 1)) == words[0];
        }
        int full = (n - 1) >>> 3;
        for (int i = 0; i < full; i++) {
            if ((long) LONGS.get(b, s + (i << 3)) != words[i]) {
                return false;
            }
        }
        return (long) LONGS.get(b, s + n - 8) == words[full];
    }

    /**
     * A name as little-endian words for {@link #sameName}: up to 7 bytes one zero-padded word;
     * otherwise the whole words before the last 8 bytes, then the last 8 bytes.
     */
    private static long[] words(byte[] k) {
        int n = k.length;
        if (n < 8) {
            long w = 0;
            for (int i = 0; i < n; i++) {
                w |= (k[i] & 0xffL) << (i << 3);
            }
            return new long[] {w};
        }
        int full = (n - 1) >>> 3;
        long[] out = new long[full + 1];
        for (int i = 0; i < full; i++) {
            out[i] = (long) LONGS.get(k, i << 3);
        }
        out[full] = (long) LONGS.get(k, n - 8);
        return out;
    }

    /**
     * Hash of a name by its first, middle and last byte and its length: no loop over the name (a
     * per-byte hash was 5% of a decode), and the known names fall in distinct or next slots.
     */
    private static int nameHash(byte first, byte middle, byte last, int length) {
        return ((first & 0xff) | (last & 0xff) << 8 | (middle & 0xff) << 16 | length << 24)
                        * 0x9E3779B1
                >>> 24;
    }

    /** The current string with its escapes resolved (and UTF-8 decoded). */
    private String decode() {
        StringBuilder sb = new StringBuilder(strEnd - strStart);
        int p = strStart;
        while (p < strEnd) {
            int c = b[p] & 0xff;
            if (c == '\\') {
                int e = b[p + 1];
                switch (e) {
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append(
                                (char)
                                        (hex(b[p + 2]) << 12
                                                | hex(b[p + 3]) << 8
                                                | hex(b[p + 4]) << 4
                                                | hex(b[p + 5])));
                        p += 4;
                    }
                    default -> sb.append((char) e);
                }
                p += 2;
            } else if (c < 0x80) {
                sb.append((char) c);
                p++;
            } else {
                int q = stringPart(p, c); // checked: a whole UTF-8 sequence
                sb.append(new String(b, p, q - p, StandardCharsets.UTF_8));
                p = q;
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- errors

    private MalformedJson fail(int at, String message) {
        return new MalformedJson("not valid JSON" + (places ? place(at) : "") + ": " + message);
    }

    /** Line and column (1-based, columns in bytes) and the byte offset of {@code at}. */
    private String place(int at) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < end; i++) {
            if (b[i] == '\n' || b[i] == '\r' && (i + 1 >= end || b[i + 1] != '\n')) {
                line++;
                lineStart = i + 1;
            }
        }
        return " at line " + line + ", column " + (at - lineStart + 1) + " (byte " + at + ")";
    }

    private static String show(int c) {
        if (c >= 0x20 && c < 0x7f) {
            return "'" + (char) c + "' (code " + c + ")";
        }
        return "byte " + hexByte(c);
    }

    private static String hexByte(int c) {
        return String.format("0x%02x", c);
    }

    // ---------------------------------------------------------------- known names

    private static final String[] NAMES = {
        "jsonrpc",
        "id",
        "error",
        "result",
        "code",
        "message",
        "slot",
        "parentSlot",
        "blockhash",
        "previousBlockhash",
        "blockTime",
        "blockHeight",
        "transactions",
        "rewards",
        "transactionIndex",
        "transaction",
        "meta",
        "version",
        "pubkey",
        "rewardType",
        "lamports",
        "postBalance",
        "commission",
        "err",
        "status",
        "Ok",
        "Err",
        "fee",
        "preBalances",
        "postBalances",
        "innerInstructions",
        "logMessages",
        "preTokenBalances",
        "postTokenBalances",
        "loadedAddresses",
        "writable",
        "readonly",
        "computeUnitsConsumed",
        "returnData",
        "index",
        "instructions",
        "programIdIndex",
        "programId",
        "accounts",
        "data",
        "stackHeight",
        "accountIndex",
        "mint",
        "owner",
        "uiTokenAmount",
        "amount",
        "decimals",
        "uiAmount",
        "uiAmountString",
        "signatures",
        "accountKeys",
        "recentBlockhash",
        "addressTableLookups",
        "header",
        "numRequiredSignatures",
        "numReadonlySignedAccounts",
        "numReadonlyUnsignedAccounts",
        "accountKey",
        "writableIndexes",
        "readonlyIndexes",
        "signer",
        "source",
        "parsed",
        "program",
        "type",
        "info",
        "InstructionError",
        "costUnits"
    };
    private static final String[] NAME_TABLE = new String[256];
    private static final byte[][] NAME_BYTES = new byte[256][];
    private static final long[][] NAME_WORDS = new long[256][];

    static {
        int mask = NAME_TABLE.length - 1;
        for (String n : NAMES) {
            byte[] k = n.getBytes(StandardCharsets.ISO_8859_1);
            int i = nameHash(k[0], k[k.length >>> 1], k[k.length - 1], k.length) & mask;
            while (NAME_TABLE[i] != null) {
                i = (i + 1) & mask;
            }
            NAME_TABLE[i] = n;
            NAME_BYTES[i] = k;
            NAME_WORDS[i] = words(k);
        }
    }
}
