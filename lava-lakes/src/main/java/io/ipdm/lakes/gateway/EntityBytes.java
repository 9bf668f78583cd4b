package io.ipdm.lakes.gateway;

/**
 * The trustless gateway's {@code entity-bytes=from:to} (<a
 * href="https://specs.ipfs.tech/http-gateways/trustless-gateway/#entity-bytes-request-query-parameter">spec</a>):
 * byte offsets, inclusive; {@code to} may be {@code *} (the end); either may be negative, counting
 * from the end ({@code -1024:*} is the last 1024 bytes, {@code to = -1} the last byte).
 *
 * @param to null for {@code *}
 */
record EntityBytes(long from, Long to) {
    static EntityBytes parse(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw bad(s);
        }
        String a = s.substring(0, colon);
        String b = s.substring(colon + 1);
        try {
            long from = Long.parseLong(a);
            Long to = b.equals("*") ? null : Long.parseLong(b);
            if (from >= 0 && to != null && to >= 0 && to < from) {
                throw new IllegalArgumentException(
                        "entity-bytes=" + Responder.cut(s) + " ends before it starts");
            }
            return new EntityBytes(from, to);
        } catch (NumberFormatException e) {
            throw bad(s);
        }
    }

    private static IllegalArgumentException bad(String s) {
        return new IllegalArgumentException(
                "malformed entity-bytes '"
                        + Responder.cut(s)
                        + "'; use from:to with byte offsets (negative from the end) or * for the"
                        + " end, e.g. 0:1023 or -1024:*");
    }

    /**
     * {@code {first, last}} in a {@code size}-byte entity ({@code last < first}: an empty range),
     * or null when the range starts past the end.
     */
    long[] resolve(long size) {
        long first = from >= 0 ? from : Math.max(0, size + from);
        long last = to == null ? size - 1 : to >= 0 ? Math.min(to, size - 1) : size + to;
        if (first >= size && size > 0) {
            return null;
        }
        return new long[] {first, last};
    }

    @Override
    public String toString() {
        return from + ":" + (to == null ? "*" : to);
    }
}
