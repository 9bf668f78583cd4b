package io.ipdm.multiformats.protobuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Minimal protobuf wire-format reader: iterate with {@link #next()}, then read the current field's
 * value with the accessor matching its wire type. Unknown fields are skipped with {@link #skip()}.
 * Every length is checked against the remaining input, so truncated or lying input fails with a
 * {@link ProtobufException}.
 */
public final class ProtoReader {
    private final byte[] buf;
    private final String messageName;
    private int pos;
    private final int limit;
    private int field;
    private int wireType;

    public ProtoReader(byte[] buf, String messageName) {
        this(buf, 0, buf.length, messageName);
    }

    public ProtoReader(byte[] buf, int offset, int length, String messageName) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        this.messageName = messageName;
    }

    /** Advances to the next field; returns false at the end of the message. */
    public boolean next() {
        if (pos >= limit) {
            return false;
        }
        long tag = varint();
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (field == 0) {
            throw new ProtobufException(messageName + ": field number 0 is invalid");
        }
        return true;
    }

    public int field() {
        return field;
    }

    public int wireType() {
        return wireType;
    }

    public long uint64() {
        expect(0);
        return varint();
    }

    public boolean bool() {
        return uint64() != 0;
    }

    public byte[] bytes() {
        int len = length();
        byte[] v = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return v;
    }

    /**
     * A reader over the current length-delimited field, sharing this reader's buffer (no copy);
     * this reader moves past the field.
     */
    public ProtoReader nested(String nestedName) {
        int len = length();
        ProtoReader r = new ProtoReader(buf, pos, len, nestedName);
        pos += len;
        return r;
    }

    /**
     * A repeated uint64 field, packed (proto3's default) or not; each value goes to {@code out}.
     */
    public void uint64s(LongConsumer out) {
        if (wireType == 0) {
            out.accept(varint());
            return;
        }
        ProtoReader packed = nested(messageName);
        while (packed.pos < packed.limit) {
            out.accept(packed.varint());
        }
    }

    private int length() {
        expect(2);
        long len = varint();
        if (len < 0 || len > limit - pos) {
            throw new ProtobufException(
                    messageName
                            + ": field "
                            + field
                            + " length "
                            + len
                            + " exceeds the "
                            + (limit - pos)
                            + " remaining bytes");
        }
        return (int) len;
    }

    public String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    public void skip() {
        switch (wireType) {
            case 0 -> varint();
            case 1 -> advance(8);
            case 2 -> {
                int len = length(); // first: it moves pos past the length
                pos += len; // stepped over, not copied
            }
            case 5 -> advance(4);
            default ->
                    throw new ProtobufException(
                            messageName
                                    + ": unsupported wire type "
                                    + wireType
                                    + " in field "
                                    + field);
        }
    }

    private void advance(int n) {
        if (n > limit - pos) {
            throw new ProtobufException(messageName + ": truncated in field " + field);
        }
        pos += n;
    }

    private void expect(int type) {
        if (wireType != type) {
            throw new ProtobufException(
                    messageName
                            + ": field "
                            + field
                            + " has wire type "
                            + wireType
                            + ", expected "
                            + type);
        }
    }

    private long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw new ProtobufException(messageName + ": truncated varint");
            }
            int b = buf[pos++] & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new ProtobufException(messageName + ": varint longer than 10 bytes");
    }
}
