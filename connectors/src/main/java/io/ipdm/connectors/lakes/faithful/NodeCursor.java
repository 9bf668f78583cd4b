package io.ipdm.connectors.lakes.faithful;

/**
 * Reads the dag-cbor of one Old Faithful node in place: a position in the buffer the node lies in
 * (a slice of an archive chunk), no copies. Only what Old Faithful nodes use is read: unsigned and
 * negative integers, byte strings, arrays, null and links (tag 42); anything else is skipped by
 * {@link #skip} or is an error naming the byte within the node and what was expected.
 *
 * <pre>
 * head = major type (3 bits) | argument (5 bits: 0-23 the value, 24-27 one/two/four/eight bytes follow)
 * link = 0xd8 0x2a, byte string (0x00, binary CID)
 * </pre>
 */
final class NodeCursor {
    private static final int MAX_DEPTH = 64;
    private static final int BYTES = 2;
    private static final int ARRAY = 4;

    private final byte[] buf;
    private final int start;
    private final int end;
    private int pos;
    // where the last byte string's content starts (see bytes())
    private int contentStart;
    private int linkLength;

    NodeCursor(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    byte[] buffer() {
        return buf;
    }

    /** The array length at the cursor. */
    int array(String what) {
        return (int) checkedLength(head(ARRAY, what), what);
    }

    /** An unsigned integer at the cursor. */
    long uint(String what) {
        long v = head(0, what);
        if (v < 0) {
            throw error(what + " is larger than 2^63");
        }
        return v;
    }

    /** An integer (either sign) at the cursor. */
    long integer(String what) {
        int major = peekMajor(what);
        if (major == 1) {
            long v = head(1, what);
            return -1 - v;
        }
        return uint(what);
    }

    /** A byte string: its length; its content starts at {@link #contentStart()}. */
    int bytes(String what) {
        int len = (int) checkedLength(head(BYTES, what), what);
        contentStart = pos;
        pos += len;
        return len;
    }

    int contentStart() {
        return contentStart;
    }

    /** Whether the value at the cursor is null (then it is consumed). */
    boolean nullHere() {
        if (pos < end && (buf[pos] & 0xFF) == 0xf6) {
            pos++;
            return true;
        }
        return false;
    }

    /** Whether the cursor is at the end of the node (an optional field left out). */
    boolean atEnd() {
        return pos >= end;
    }

    /**
     * A link (tag 42): where its binary CID starts in {@link #buffer()}; its length is {@link
     * #linkLength()}. Read in place, no copy. {@code what}, followed by {@code index} when it is
     * not negative, names the link in errors (the name is built only for an error).
     */
    int link(String what, int index) {
        if (index < 0) {
            return link(what);
        }
        int mark = pos;
        try {
            return link(what);
        } catch (NodeFormatException e) {
            pos = mark; // the same check fails again, now with the link's full name
            return link(what + index);
        }
    }

    private int link(String what) {
        if (end - pos < 2 || (buf[pos] & 0xFF) != 0xd8 || buf[pos + 1] != 42) {
            throw error(what + " is not a link");
        }
        pos += 2;
        int len = bytes(what);
        if (len < 2 || buf[contentStart] != 0) {
            throw error(what + " is a malformed link");
        }
        linkLength = len - 1;
        return contentStart + 1;
    }

    /** The length of the binary CID of the last {@link #link}. */
    int linkLength() {
        return linkLength;
    }

    /** Skips one value of any type. */
    void skip(String what) {
        skip(what, 0);
    }

    private void skip(String what, int depth) {
        if (depth > MAX_DEPTH) {
            throw error(what + " nests deeper than " + MAX_DEPTH);
        }
        int major = peekMajor(what);
        int info = buf[pos] & 0x1f;
        switch (major) {
            case 0, 1 -> head(major, what);
            case 2, 3 -> pos = Math.addExact(pos, (int) checkedLength(head(major, what), what));
            case 4 -> {
                long n = checkedLength(head(major, what), what);
                for (long i = 0; i < n; i++) {
                    skip(what, depth + 1);
                }
            }
            case 5 -> {
                long n = checkedLength(head(major, what), what);
                for (long i = 0; i < 2 * n; i++) {
                    skip(what, depth + 1);
                }
            }
            case 6 -> {
                head(major, what);
                skip(what, depth + 1);
            }
            default -> {
                // simple values and floats: the argument is the whole value
                pos += 1 + (info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0);
            }
        }
        if (pos > end) {
            throw error(what + " runs past the end of the node");
        }
    }

    private int peekMajor(String what) {
        if (pos >= end) {
            throw error(what + " is missing (the node ends)");
        }
        return (buf[pos] & 0xFF) >>> 5;
    }

    private long head(int major, String what) {
        int got = peekMajor(what);
        if (got != major) {
            throw error(what + " is " + typeName(got) + " where " + typeName(major) + " belongs");
        }
        int info = buf[pos] & 0x1f;
        pos++;
        if (info < 24) {
            return info;
        }
        int n =
                switch (info) {
                    case 24 -> 1;
                    case 25 -> 2;
                    case 26 -> 4;
                    case 27 -> 8;
                    default -> throw error(what + " has an indefinite or reserved length");
                };
        if (end - pos < n) {
            throw error(what + " is cut off (the node ends)");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    private long checkedLength(long len, String what) {
        if (len < 0 || len > end - pos) {
            throw error(
                    what
                            + " claims "
                            + Long.toUnsignedString(len)
                            + " items or bytes but the node has "
                            + (end - pos)
                            + " bytes left");
        }
        return len;
    }

    private static String typeName(int major) {
        return switch (major) {
            case 0 -> "an unsigned integer";
            case 1 -> "a negative integer";
            case 2 -> "a byte string";
            case 3 -> "a text string";
            case 4 -> "a list";
            case 5 -> "a map";
            case 6 -> "a tagged value";
            default -> "a simple value";
        };
    }

    NodeFormatException error(String what) {
        return new NodeFormatException("at byte " + (pos - start) + " of the node: " + what);
    }

    /** The node's bytes do not follow the Old Faithful schema; the message says where and why. */
    static final class NodeFormatException extends RuntimeException {
        NodeFormatException(String message) {
            super(message);
        }
    }
}
