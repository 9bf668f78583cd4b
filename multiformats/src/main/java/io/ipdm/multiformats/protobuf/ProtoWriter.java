package io.ipdm.multiformats.protobuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal protobuf (proto2/proto3 wire format) writer for the few messages IPDM writes (libp2p
 * RPCs, DAG-PB nodes). Fields are written in call order; callers write them in field-number order,
 * as canonical encoders do.
 */
public final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ProtoWriter uint64(int field, long value) {
        tag(field, 0);
        varint(value);
        return this;
    }

    public ProtoWriter bool(int field, boolean value) {
        return uint64(field, value ? 1 : 0);
    }

    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, 2);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public ProtoWriter message(int field, ProtoWriter nested) {
        return bytes(field, nested.toByteArray());
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
