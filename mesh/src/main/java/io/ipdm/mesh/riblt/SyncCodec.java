package io.ipdm.mesh.riblt;

import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Varint;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of a {@link SyncMessage} (protobuf wire format; each message is sent length-prefixed with
 * an unsigned varint on one stream):
 *
 * <pre>
 * message SyncMessage {
 *   uint64 type   = 1;          // SyncMessage.Type code
 *   uint64 first  = 2;          // SYMBOLS: stream index of the first symbol
 *   uint64 salt   = 3;          // SYMBOLS: checksum salt (same in every batch)
 *   bytes  sums   = 4;          // SYMBOLS: n x 32 bytes, XOR of the items
 *   bytes  hashes = 5;          // SYMBOLS: n x 8 bytes big-endian, XOR of item checksums
 *   bytes  counts = 6;          // SYMBOLS: n zigzag varints, signed item counts
 *   repeated bytes item = 7;    // RECORDS: SignedRecord encodings; WANT: 32-byte digests
 *   string reason = 8;          // ABORT
 * }
 * </pre>
 *
 * Decoding checks every length against the session's limits before allocating.
 */
public final class SyncCodec {
    /** Bytes a record adds to a RECORDS message beyond its value: tags, key, author, signature. */
    static final int RECORD_OVERHEAD = 160 + SignedRecord.MAX_KEY;

    private SyncCodec() {}

    public static byte[] encode(SyncMessage m) {
        ProtoWriter w = new ProtoWriter().uint64(1, m.type().code);
        if (m.type() == SyncMessage.Type.SYMBOLS) {
            CodedSymbols s = m.symbols();
            int n = s.size();
            ByteBuffer sums = ByteBuffer.allocate(32 * n);
            ByteBuffer hashes = ByteBuffer.allocate(8 * n);
            byte[] counts = new byte[Varint.MAX_BYTES * n];
            int c = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 4; k++) {
                    sums.putLong(s.sum(i, k));
                }
                hashes.putLong(s.hash(i));
                long count = s.count(i);
                c += Varint.write((count << 1) ^ (count >> 63), counts, c);
            }
            w.uint64(2, s.first()).uint64(3, m.salt()).bytes(4, sums.array());
            w.bytes(5, hashes.array()).bytes(6, java.util.Arrays.copyOf(counts, c));
        }
        for (byte[] item : m.items()) {
            w.bytes(7, item);
        }
        if (m.type() == SyncMessage.Type.ABORT) {
            w.string(8, m.reason());
        }
        return w.toByteArray();
    }

    /**
     * Parses {@code bytes}; a batch over {@code maxBatch} symbols or more than {@code maxItems}
     * items is refused.
     */
    public static SyncMessage decode(byte[] bytes, int maxBatch, int maxItems) {
        ProtoReader r = new ProtoReader(bytes, "SyncMessage");
        long type = -1;
        long first = 0;
        long salt = 0;
        byte[] sums = new byte[0];
        byte[] hashes = new byte[0];
        byte[] counts = new byte[0];
        List<byte[]> items = new ArrayList<>();
        String reason = "";
        try {
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> type = r.uint64();
                    case 2 -> first = r.uint64();
                    case 3 -> salt = r.uint64();
                    case 4 -> sums = r.bytes();
                    case 5 -> hashes = r.bytes();
                    case 6 -> counts = r.bytes();
                    case 7 -> {
                        if (items.size() >= maxItems) {
                            throw new RibltException(
                                    "a message carries more than "
                                            + maxItems
                                            + " items (limit maxDifferences)");
                        }
                        items.add(r.bytes());
                    }
                    case 8 -> reason = r.string();
                    default -> r.skip();
                }
            }
        } catch (RibltException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RibltException("malformed sync message: " + e.getMessage());
        }
        SyncMessage.Type t = null;
        for (SyncMessage.Type x : SyncMessage.Type.values()) {
            if (x.code == type) {
                t = x;
            }
        }
        if (t == null) {
            throw new RibltException("sync message of unknown type " + type);
        }
        if (t != SyncMessage.Type.SYMBOLS) {
            return new SyncMessage(t, null, 0, items, reason);
        }
        int n = hashes.length / 8;
        if (hashes.length % 8 != 0 || sums.length != 32 * n) {
            throw new RibltException(
                    "SYMBOLS message with "
                            + sums.length
                            + " sum bytes and "
                            + hashes.length
                            + " hash bytes: need 32 and 8 per symbol");
        }
        if (n > maxBatch) {
            throw new RibltException(
                    "a batch of "
                            + n
                            + " coded symbols exceeds the limit of "
                            + maxBatch
                            + " (maxBatch)");
        }
        CodedSymbols s = new CodedSymbols(first, n);
        ByteBuffer sb = ByteBuffer.wrap(sums);
        ByteBuffer hb = ByteBuffer.wrap(hashes);
        int off = 0;
        for (int i = 0; i < n; i++) {
            if (off >= counts.length) {
                throw new RibltException(
                        "SYMBOLS message has fewer counts than symbols (" + n + ")");
            }
            Varint.Decoded d;
            try {
                d = Varint.read(counts, off, counts.length);
            } catch (RuntimeException e) {
                throw new RibltException("SYMBOLS message: bad count varint: " + e.getMessage());
            }
            off += d.length();
            long count = (d.value() >>> 1) ^ -(d.value() & 1);
            s.add(sb.getLong(), sb.getLong(), sb.getLong(), sb.getLong(), hb.getLong(), count);
        }
        if (off != counts.length) {
            throw new RibltException("SYMBOLS message has more counts than symbols (" + n + ")");
        }
        return SyncMessage.symbols(s, salt);
    }
}
