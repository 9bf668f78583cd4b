package io.ipdm.lakes.ipld;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DAG-CBOR (<a href="https://ipld.io/specs/codecs/dag-cbor/spec/">spec</a>), strict both ways.
 *
 * <p>Data model in Java: {@code null}, {@link Boolean}, {@link Long} (or {@link BigInteger} outside
 * the long range), {@link Double}, {@link String}, {@code byte[]}, {@link List}, {@link Map} with
 * String keys, {@link Cid}. The decoder rejects anything with more than one encoding: non-minimal
 * integers and lengths, indefinite lengths, non-string or unsorted or duplicate map keys, tags
 * other than 42, floats narrower than 64 bits, NaN and infinities, undefined, trailing bytes.
 */
public final class DagCbor {
    private static final int MAX_DEPTH = 512;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** Canonical DAG-CBOR key order: shorter UTF-8 first, then bytewise. */
    public static final Comparator<byte[]> KEY_ORDER =
            (a, b) -> a.length != b.length ? a.length - b.length : Arrays.compareUnsigned(a, b);

    private DagCbor() {}

    public static Object decode(byte[] data) {
        return decode(data, false);
    }

    /**
     * As {@link #decode}, but a text string (a value or a map key) that is not UTF-8 decodes with
     * U+FFFD in place of the bad bytes instead of failing: real chains write such (Lotus), and a
     * path through their blocks must still be walked ({@link IpldPath}). Only for reading where the
     * strings are not handed on as the block's content.
     */
    public static Object decodeLossyText(byte[] data) {
        return decode(data, true);
    }

    private static Object decode(byte[] data, boolean lossyText) {
        Decoder d = new Decoder(data, lossyText);
        Object value = d.read(0);
        if (d.pos != data.length) {
            throw new CodecException(
                    "dag-cbor: " + (data.length - d.pos) + " trailing bytes after the value");
        }
        return value;
    }

    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value, 0);
        return out.toByteArray();
    }

    /** Every CID reachable inside {@code value}, in encounter order. */
    public static List<Cid> links(Object value) {
        List<Cid> out = new ArrayList<>();
        collectLinks(value, out);
        return out;
    }

    /**
     * The CIDs (tag 42) in an encoded block, in encounter order, without building the value.
     *
     * <p>Why not {@link #decode}: real chains write dag-cbor that is not strict (Lotus puts bytes
     * that are not UTF-8 in text strings), and a block's links must still be followed. The scanner
     * checks the CBOR structure (heads, definite lengths within the block, depth, map keys are
     * text, only tag 42, no trailing bytes) and parses every CID, but never decodes strings and
     * does not check minimal encoding or key order. Integrity is the CID's job: callers verify the
     * block's bytes against it.
     *
     * @throws CodecException naming the offset when the bytes are not well-formed dag-cbor
     */
    public static List<Cid> scanLinks(byte[] data) {
        Scanner s = new Scanner(data);
        List<Cid> out = new ArrayList<>();
        s.item(0, out);
        if (s.pos != data.length) {
            throw new CodecException(
                    "dag-cbor: " + (data.length - s.pos) + " trailing bytes after the value");
        }
        return out;
    }

    /** Walks CBOR items by their heads; see {@link #scanLinks}. */
    private static final class Scanner extends Heads {
        Scanner(byte[] in) {
            super(in);
        }

        /** The head's argument as an unsigned 64-bit value in a long (any width accepted). */
        private long argument(int info, int headAt) {
            int n = width(info);
            if (n < 0) {
                throw new CodecException(
                        "dag-cbor: "
                                + (info == 31
                                        ? "indefinite-length item"
                                        : "reserved additional info " + info)
                                + " at offset "
                                + headAt);
            }
            return n == 0 ? info : bigEndian(n);
        }

        /** A byte length or item count, bounded by the bytes left. */
        private int count(long arg, int headAt) {
            if (arg < 0 || arg > in.length - pos) {
                throw new CodecException(
                        "dag-cbor: length "
                                + Long.toUnsignedString(arg)
                                + " at offset "
                                + headAt
                                + " exceeds the remaining "
                                + (in.length - pos)
                                + " bytes");
            }
            return (int) arg;
        }

        private void skip(int n) {
            pos += n; // not "pos += count(..)": that reads pos before count's argument moves it
        }

        void item(int depth, List<Cid> out) {
            if (depth > MAX_DEPTH) {
                throw new CodecException(
                        "dag-cbor: nesting deeper than " + MAX_DEPTH + " at offset " + pos);
            }
            int at = pos;
            int head = u8();
            int major = head >>> 5;
            int info = head & 0x1F;
            switch (major) {
                case 0, 1 -> argument(info, at);
                case 2, 3 -> skip(count(argument(info, at), at));
                case 4 -> {
                    int n = count(argument(info, at), at);
                    for (int i = 0; i < n; i++) {
                        item(depth + 1, out);
                    }
                }
                case 5 -> {
                    int n = count(argument(info, at), at);
                    for (int i = 0; i < n; i++) {
                        int keyAt = pos;
                        int keyHead = u8();
                        if (keyHead >>> 5 != 3) {
                            throw new CodecException(
                                    "dag-cbor: map key at offset "
                                            + keyAt
                                            + " is major type "
                                            + (keyHead >>> 5)
                                            + ", not a string");
                        }
                        skip(count(argument(keyHead & 0x1F, keyAt), keyAt));
                        item(depth + 1, out);
                    }
                }
                case 6 -> {
                    long tag = argument(info, at);
                    if (tag != 42) {
                        throw new CodecException(
                                "dag-cbor: tag "
                                        + Long.toUnsignedString(tag)
                                        + " at offset "
                                        + at
                                        + " is not allowed (only 42)");
                    }
                    out.add(cid(at));
                }
                default -> {
                    switch (info) {
                        case 20, 21, 22, 23 -> {}
                        case 24 -> u8();
                        case 25 -> skip(count(2, at));
                        case 26 -> skip(count(4, at));
                        case 27 -> skip(count(8, at));
                        default ->
                                throw new CodecException(
                                        "dag-cbor: simple value "
                                                + info
                                                + " at offset "
                                                + at
                                                + " is not allowed");
                    }
                }
            }
        }

        private Cid cid(int tagAt) {
            int at = pos;
            int head = u8();
            if (head >>> 5 != 2) {
                throw new CodecException(
                        "dag-cbor: tag 42 at offset " + tagAt + " must wrap a byte string");
            }
            int n = count(argument(head & 0x1F, at), at);
            if (n == 0 || in[pos] != 0) {
                throw new CodecException(
                        "dag-cbor: tag 42 at offset "
                                + tagAt
                                + " must start with the 0x00 multibase prefix");
            }
            try {
                Cid cid = Cid.fromBytes(Arrays.copyOfRange(in, pos + 1, pos + n));
                pos += n;
                return cid;
            } catch (MultiformatException e) {
                throw new CodecException(
                        "dag-cbor: invalid CID in tag 42 at offset "
                                + tagAt
                                + ": "
                                + e.getMessage());
            }
        }
    }

    private static void collectLinks(Object value, List<Cid> out) {
        if (value instanceof Cid c) {
            out.add(c);
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectLinks(v, out));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectLinks(v, out));
        }
    }

    /** A position in an encoded item and the reading of CBOR heads, shared by both readers. */
    private abstract static class Heads {
        final byte[] in;
        int pos;

        Heads(byte[] in) {
            this.in = in;
        }

        int u8() {
            if (pos >= in.length) {
                throw new CodecException("dag-cbor: unexpected end of data at offset " + pos);
            }
            return in[pos++] & 0xFF;
        }

        /** Bytes of argument after a head: 0 (in the head), 1, 2, 4, 8, or -1 when not allowed. */
        static int width(int info) {
            return switch (info) {
                case 24 -> 1;
                case 25 -> 2;
                case 26 -> 4;
                case 27 -> 8;
                default -> info < 24 ? 0 : -1;
            };
        }

        /** An unsigned big-endian number of {@code n} bytes, in a long. */
        long bigEndian(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | u8();
            }
            return v;
        }
    }

    private static final class Decoder extends Heads {
        private final boolean lossyText;

        Decoder(byte[] in, boolean lossyText) {
            super(in);
            this.lossyText = lossyText;
        }

        /** The argument of a head byte, minimal encoding enforced; unsigned 64-bit in a long. */
        private long argument(int info) {
            int n = width(info);
            if (n < 0) {
                throw new CodecException(
                        info == 31
                                ? "dag-cbor: indefinite-length items are not allowed"
                                : "dag-cbor: reserved additional info " + info);
            }
            if (n == 0) {
                return info;
            }
            long v = bigEndian(n);
            long minimum = n == 1 ? 24 : n == 2 ? 0x100 : n == 4 ? 0x10000 : 0x100000000L;
            if (Long.compareUnsigned(v, minimum) < 0) {
                throw new CodecException(
                        "dag-cbor: integer or length " + v + " not minimally encoded");
            }
            return v;
        }

        /** A length or count, bounded by the bytes left (every item takes at least one). */
        private int length(long arg, String what) {
            if (arg < 0 || arg > in.length - pos) {
                throw new CodecException(
                        "dag-cbor: "
                                + what
                                + " length "
                                + Long.toUnsignedString(arg)
                                + " exceeds the remaining "
                                + (in.length - pos)
                                + " bytes");
            }
            return (int) arg;
        }

        Object read(int depth) {
            if (depth > MAX_DEPTH) {
                throw new CodecException("dag-cbor: nesting deeper than " + MAX_DEPTH);
            }
            int head = u8();
            int major = head >>> 5;
            int info = head & 0x1F;
            switch (major) {
                case 0 -> {
                    long v = argument(info);
                    return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
                }
                case 1 -> {
                    long v = argument(info);
                    return v >= 0
                            ? (Object) (-1 - v)
                            : BigInteger.valueOf(-1)
                                    .subtract(new BigInteger(Long.toUnsignedString(v)));
                }
                case 2 -> {
                    int n = length(argument(info), "byte string");
                    byte[] b = Arrays.copyOfRange(in, pos, pos + n);
                    pos += n;
                    return b;
                }
                case 3 -> {
                    int n = length(argument(info), "text string");
                    String s = utf8(pos, n);
                    pos += n;
                    return s;
                }
                case 4 -> {
                    int n = length(argument(info), "items");
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(read(depth + 1));
                    }
                    return list;
                }
                case 5 -> {
                    return readMap(length(argument(info), "items"), depth);
                }
                case 6 -> {
                    long tag = argument(info);
                    if (tag != 42) {
                        throw new CodecException(
                                "dag-cbor: tag "
                                        + Long.toUnsignedString(tag)
                                        + " is not allowed (only 42)");
                    }
                    return readCid();
                }
                default -> {
                    return simple(info);
                }
            }
        }

        private Map<String, Object> readMap(int n, int depth) {
            Map<String, Object> map = new LinkedHashMap<>(Math.max(4, n * 2));
            byte[] previous = null;
            for (int i = 0; i < n; i++) {
                int head = u8();
                if (head >>> 5 != 3) {
                    throw new CodecException(
                            "dag-cbor: map keys must be strings (major type " + (head >>> 5) + ")");
                }
                int len = length(argument(head & 0x1F), "text string");
                byte[] keyBytes = Arrays.copyOfRange(in, pos, pos + len);
                String key = utf8(pos, len);
                pos += len;
                if (previous != null) {
                    int cmp = KEY_ORDER.compare(previous, keyBytes);
                    if (cmp == 0) {
                        throw new CodecException("dag-cbor: duplicate map key \"" + key + "\"");
                    }
                    if (cmp > 0) {
                        throw new CodecException(
                                "dag-cbor: map key \""
                                        + key
                                        + "\" out of canonical order (length-first, then bytewise)");
                    }
                }
                previous = keyBytes;
                map.put(key, read(depth + 1));
            }
            return map;
        }

        private Cid readCid() {
            int head = u8();
            if (head >>> 5 != 2) {
                throw new CodecException("dag-cbor: tag 42 must wrap a byte string");
            }
            int n = length(argument(head & 0x1F), "byte string");
            if (n == 0 || in[pos] != 0) {
                throw new CodecException(
                        "dag-cbor: tag 42 bytes must start with the 0x00 multibase prefix");
            }
            try {
                Cid cid = Cid.fromBytes(Arrays.copyOfRange(in, pos + 1, pos + n));
                pos += n;
                return cid;
            } catch (MultiformatException e) {
                throw new CodecException("dag-cbor: invalid CID in tag 42: " + e.getMessage());
            }
        }

        private Object simple(int info) {
            switch (info) {
                case 20:
                    return Boolean.FALSE;
                case 21:
                    return Boolean.TRUE;
                case 22:
                    return null;
                case 23:
                    throw new CodecException("dag-cbor: undefined is not allowed");
                case 25:
                case 26:
                    throw new CodecException("dag-cbor: floats must be 64-bit");
                case 27:
                    double d = Double.longBitsToDouble(bigEndian(8));
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw new CodecException("dag-cbor: NaN and infinities are not allowed");
                    }
                    return d;
                default:
                    throw new CodecException("dag-cbor: simple value " + info + " is not allowed");
            }
        }

        private String utf8(int offset, int n) {
            if (lossyText) {
                return new String(in, offset, n, StandardCharsets.UTF_8);
            }
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(in, offset, n))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new CodecException(
                        "dag-cbor: string at offset " + offset + " is not valid UTF-8");
            }
        }
    }

    private static void head(ByteArrayOutputStream out, int major, long arg) {
        int m = major << 5;
        if (Long.compareUnsigned(arg, 24) < 0) {
            out.write(m | (int) arg);
        } else if (Long.compareUnsigned(arg, 0x100) < 0) {
            out.write(m | 24);
            out.write((int) arg);
        } else if (Long.compareUnsigned(arg, 0x10000) < 0) {
            out.write(m | 25);
            out.write((int) (arg >> 8));
            out.write((int) arg);
        } else if (Long.compareUnsigned(arg, 0x100000000L) < 0) {
            out.write(m | 26);
            for (int s = 24; s >= 0; s -= 8) {
                out.write((int) (arg >> s));
            }
        } else {
            out.write(m | 27);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (arg >>> s));
            }
        }
    }

    private static void write(ByteArrayOutputStream out, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CodecException("dag-cbor: nesting deeper than " + MAX_DEPTH);
        }
        if (v == null) {
            out.write(0xF6);
        } else if (v instanceof Boolean b) {
            out.write(b ? 0xF5 : 0xF4);
        } else if (v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l >= 0) {
                head(out, 0, l);
            } else {
                head(out, 1, -1 - l);
            }
        } else if (v instanceof BigInteger bi) {
            writeBig(out, bi);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new CodecException("dag-cbor: cannot encode NaN or infinity");
            }
            out.write(0xFB);
            long bits = Double.doubleToLongBits(d);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (bits >>> s));
            }
        } else if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            head(out, 3, b.length);
            out.writeBytes(b);
        } else if (v instanceof byte[] b) {
            head(out, 2, b.length);
            out.writeBytes(b);
        } else if (v instanceof Cid c) {
            byte[] b = c.toBytes();
            head(out, 6, 42);
            head(out, 2, b.length + 1L);
            out.write(0);
            out.writeBytes(b);
        } else if (v instanceof Collection<?> list) {
            head(out, 4, list.size());
            for (Object o : list) {
                write(out, o, depth + 1);
            }
        } else if (v instanceof Map<?, ?> map) {
            writeMap(out, map, depth);
        } else {
            throw new CodecException(
                    "dag-cbor: cannot encode a "
                            + v.getClass().getName()
                            + " (not an IPLD data model kind)");
        }
    }

    private static void writeBig(ByteArrayOutputStream out, BigInteger bi) {
        if (bi.signum() >= 0) {
            if (bi.compareTo(TWO_64) >= 0) {
                throw new CodecException("dag-cbor: integer " + bi + " exceeds 64 bits");
            }
            head(out, 0, bi.longValue());
        } else {
            BigInteger arg = BigInteger.valueOf(-1).subtract(bi);
            if (arg.compareTo(TWO_64) >= 0) {
                throw new CodecException("dag-cbor: integer " + bi + " exceeds 64 bits");
            }
            head(out, 1, arg.longValue());
        }
    }

    private static void writeMap(ByteArrayOutputStream out, Map<?, ?> map, int depth) {
        List<Map.Entry<byte[], Object>> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new CodecException("dag-cbor: map keys must be strings, got " + e.getKey());
            }
            entries.add(
                    Map.entry(
                            k.getBytes(StandardCharsets.UTF_8),
                            e.getValue() == null ? NULL : e.getValue()));
        }
        entries.sort((a, b) -> KEY_ORDER.compare(a.getKey(), b.getKey()));
        head(out, 5, entries.size());
        for (Map.Entry<byte[], Object> e : entries) {
            head(out, 3, e.getKey().length);
            out.writeBytes(e.getKey());
            write(out, e.getValue() == NULL ? null : e.getValue(), depth + 1);
        }
    }

    // Map.entry rejects null values.
    private static final Object NULL = new Object();
}
