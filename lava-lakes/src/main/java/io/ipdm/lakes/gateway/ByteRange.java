package io.ipdm.lakes.gateway;

import java.util.Arrays;

/**
 * A single {@code Range: bytes=...} on a raw block (<a
 * href="https://www.rfc-editor.org/rfc/rfc9110#section-14.2">RFC 9110 14.2</a>): {@code
 * first-last}, {@code first-} or {@code -suffix}. A satisfiable range is answered 206 with {@code
 * Content-Range: bytes first-last/size}; one that starts at or past the end (or a zero suffix) 416
 * with {@code Content-Range: bytes *}{@code /size}. Several ranges, another unit or a malformed
 * header are ignored (the whole block, 200), as the RFC allows.
 */
final class ByteRange {
    private ByteRange() {}

    /** {@code whole} (a 200 with the block as body) cut to {@code header}'s range. */
    static Responder.Reply apply(String header, Responder.Reply whole) {
        long size = whole.body().length;
        long[] r = parse(header, size);
        if (r == null) {
            return whole;
        }
        if (r.length == 0) {
            Responder.Reply e =
                    Responder.Reply.error(
                            416,
                            "range '"
                                    + Responder.cut(header)
                                    + "' is past the end of the "
                                    + size
                                    + "-byte block");
            e.headers().put("Content-Range", "bytes */" + size);
            e.headers().put("Accept-Ranges", "bytes");
            return e;
        }
        whole.headers().put("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size);
        byte[] part = Arrays.copyOfRange(whole.body(), (int) r[0], (int) r[1] + 1);
        return new Responder.Reply(206, whole.headers(), part, null);
    }

    /**
     * {@code {first, last}} within {@code size}; an empty array when unsatisfiable; null when the
     * header is to be ignored.
     */
    static long[] parse(String header, long size) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                long suffix = digits(b);
                if (suffix == 0 || size == 0) {
                    return new long[0];
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = digits(a);
            Long last = b.isEmpty() ? null : digits(b);
            if (last != null && last < first) {
                return null; // invalid: ignored
            }
            if (first >= size) {
                return new long[0];
            }
            return new long[] {first, last == null ? size - 1 : Math.min(last, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long digits(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9') || s.length() > 18) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }
}
