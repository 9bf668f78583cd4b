package io.ipdm.connectors.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.copy.CopyIn;

/**
 * Rows as PostgreSQL CSV ({@code COPY ... (FORMAT csv)}) in one growing UTF-8 buffer, reused for a
 * whole batch: integers written digit by digit, strings quoted with doubled quotes, {@code bytea}
 * as {@code \x} hex, null as an empty unquoted field. Not thread-safe.
 */
final class CsvBuffer {
    /** Bytes handed to the driver at a time. */
    static final int FLUSH_AT = 1 << 16;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MIN =
            Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[FLUSH_AT + 1024];
    private int size;

    int size() {
        return size;
    }

    void put(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    /** One field. */
    void value(Object v) {
        switch (v) {
            case null -> {}
            case Long x -> integer(x);
            case Integer x -> integer(x);
            case Short x -> integer(x);
            case Byte x -> integer(x);
            case String s -> string(s);
            case Character c -> string(c.toString());
            case Boolean x -> put((byte) (x ? 't' : 'f'));
            case byte[] bytes -> hex(bytes);
            case BigDecimal d -> ascii(d.toPlainString());
            default -> ascii(v.toString()); // Double, Float: Java's text is PostgreSQL input
        }
    }

    private void integer(long v) {
        if (v == Long.MIN_VALUE) {
            ensure(LONG_MIN.length);
            System.arraycopy(LONG_MIN, 0, buf, size, LONG_MIN.length);
            size += LONG_MIN.length;
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[size++] = '-';
            v = -v;
        }
        int end = size + digits(v);
        int at = end;
        do {
            buf[--at] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        size = end;
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    private void string(String s) {
        ensure(s.length() * 3 + 2);
        buf[size++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"') {
                    buf[size++] = '"'; // within the 3 bytes a char was given
                }
                buf[size++] = (byte) c;
            } else {
                // rare here (signatures, program ids are ASCII): encode the rest as UTF-8
                byte[] rest = s.substring(i).replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8);
                ensure(rest.length + 1);
                System.arraycopy(rest, 0, buf, size, rest.length);
                size += rest.length;
                break;
            }
        }
        ensure(1);
        buf[size++] = '"';
    }

    private void hex(byte[] bytes) {
        ensure(2 + bytes.length * 2);
        buf[size++] = '\\';
        buf[size++] = 'x';
        for (byte b : bytes) {
            buf[size++] = HEX[(b >> 4) & 0xf];
            buf[size++] = HEX[b & 0xf];
        }
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    /** Hands what is buffered to {@code in} and empties the buffer. */
    void writeTo(CopyIn in) throws SQLException {
        if (size > 0) {
            in.writeToCopy(buf, 0, size);
            size = 0;
        }
    }

    /** What is buffered, as text (tests). */
    @Override
    public String toString() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }
}
