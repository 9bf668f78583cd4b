package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DHT value records (PUT_VALUE / GET_VALUE) in the two namespaces libp2p peers use, validated
 * before they are stored:
 *
 * <ul>
 *   <li>{@code /pk/<multihash>}: a protobuf {@code PublicKey} whose peer id is that multihash.
 *   <li>{@code /ipns/<peer id>}: an IPNS record (IPNS spec, "Record Verification"): {@code
 *       signatureV2} over {@code "ipns-signature:" || data} by the name's key (inlined in the peer
 *       id or in {@code pubKey}, which must match the name), {@code data} a DAG-CBOR map whose
 *       {@code Value}, {@code Validity}, {@code ValidityType}, {@code Sequence} must equal the
 *       protobuf's V1 fields where present, validity type 0 (EOL) not past. Of two valid records
 *       for a name the higher {@code Sequence} wins, then the later validity.
 * </ul>
 *
 * <pre>
 * message Record    { bytes key = 1; bytes value = 2; string timeReceived = 5; }
 * message IpnsEntry { bytes value = 1; bytes signatureV1 = 2; ValidityType validityType = 3;
 *                     bytes validity = 4; uint64 sequence = 5; uint64 ttl = 6; bytes pubKey = 7;
 *                     bytes signatureV2 = 8; bytes data = 9; }
 * </pre>
 *
 * Other namespaces are refused. Records are kept for {@code ttlMillis} after they arrive, at most
 * {@code maxRecords} of them and {@code maxRecordBytes} each.
 */
final class ValueRecords {
    static final int MAX_IPNS_RECORD = 10 * 1024;
    private static final byte[] IPNS_SIG_PREFIX =
            "ipns-signature:".getBytes(StandardCharsets.US_ASCII);

    /** A stored record: the serialized {@code Record} as received, and how it ranks. */
    private record Stored(byte[] record, long sequence, Instant validity, long expires) {}

    /**
     * A value record refused, with the reason; {@code misbehaviour} when the sender broke the rules
     * (a forged or malformed record), not when it used a namespace we do not serve.
     */
    static final class InvalidRecord extends RuntimeException {
        final boolean misbehaviour;

        InvalidRecord(String message) {
            this(message, true);
        }

        InvalidRecord(String message, boolean misbehaviour) {
            super(message);
            this.misbehaviour = misbehaviour;
        }
    }

    private final int maxRecords;
    private final int maxRecordBytes;
    private final long ttlMillis;
    private final Map<String, Stored> records = new LinkedHashMap<>();

    ValueRecords(int maxRecords, int maxRecordBytes, long ttlMillis) {
        this.maxRecords = maxRecords;
        this.maxRecordBytes = maxRecordBytes;
        this.ttlMillis = ttlMillis;
    }

    /**
     * Validates and stores the serialized {@code Record} sent for {@code key} at {@code now} (epoch
     * millis); false when a better record for the key is already held (kept).
     *
     * @throws InvalidRecord naming what is wrong
     */
    boolean put(byte[] key, byte[] serialized, long now) {
        if (serialized == null) {
            throw new InvalidRecord("PUT_VALUE without a record", false);
        }
        if (serialized.length > maxRecordBytes) {
            throw new InvalidRecord(
                    "record of " + serialized.length + " bytes exceeds " + maxRecordBytes);
        }
        byte[] rKey = null;
        byte[] value = null;
        try {
            ProtoReader r = new ProtoReader(serialized, "Record");
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> rKey = r.bytes();
                    case 2 -> value = r.bytes();
                    default -> r.skip();
                }
            }
        } catch (ProtobufException e) {
            throw new InvalidRecord(e.getMessage());
        }
        if (rKey == null || !Arrays.equals(rKey, key)) {
            throw new InvalidRecord("the record's key is not the message's key");
        }
        if (value == null) {
            throw new InvalidRecord("record without a value");
        }
        Stored s = validate(key, value, serialized, now);
        String id = HexFormat.of().formatHex(key);
        Stored old = records.get(id);
        if (old != null && old.expires > now && better(old, s)) {
            return false;
        }
        if (old == null && records.size() >= maxRecords) {
            expire(now);
            if (records.size() >= maxRecords) {
                throw new InvalidRecord("record store full (" + maxRecords + " records)");
            }
        }
        records.put(id, s);
        return true;
    }

    /** The serialized {@code Record} held for {@code key}, or null. */
    byte[] get(byte[] key, long now) {
        Stored s = records.get(HexFormat.of().formatHex(key));
        return s == null || s.expires <= now ? null : s.record;
    }

    int size() {
        return records.size();
    }

    void expire(long now) {
        records.values().removeIf(s -> s.expires <= now);
    }

    private static boolean better(Stored a, Stored b) {
        if (a.sequence != b.sequence) {
            return a.sequence > b.sequence;
        }
        return a.validity != null && b.validity != null && a.validity.isAfter(b.validity);
    }

    private Stored validate(byte[] key, byte[] value, byte[] serialized, long now) {
        String k = new String(key, StandardCharsets.ISO_8859_1);
        if (k.startsWith("/pk/")) {
            byte[] mh = Arrays.copyOfRange(key, 4, key.length);
            PublicKey pk;
            try {
                pk = PublicKey.fromProtobuf(value);
            } catch (RuntimeException e) {
                throw new InvalidRecord("/pk record is not a PublicKey: " + e.getMessage());
            }
            if (!Arrays.equals(pk.toPeerId().toBytes(), mh)) {
                throw new InvalidRecord("/pk record's key does not hash to " + hex(mh));
            }
            return new Stored(serialized, 0, null, now + ttlMillis);
        }
        if (k.startsWith("/ipns/")) {
            return validateIpns(Arrays.copyOfRange(key, 6, key.length), value, serialized, now);
        }
        int slash = k.indexOf('/', 1);
        throw new InvalidRecord(
                "no validator for namespace "
                        + (slash > 0 ? k.substring(0, slash) : "(none)")
                        + " (accepted: /pk, /ipns)",
                false);
    }

    private Stored validateIpns(byte[] name, byte[] entry, byte[] serialized, long now) {
        if (entry.length > MAX_IPNS_RECORD) {
            throw new InvalidRecord(
                    "IPNS record of " + entry.length + " bytes exceeds " + MAX_IPNS_RECORD);
        }
        PeerId peer;
        try {
            peer = PeerId.fromBytes(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecord("IPNS name is not a peer id: " + e.getMessage());
        }
        Map<Integer, Object> pb = new HashMap<>();
        try {
            ProtoReader r = new ProtoReader(entry, "IpnsEntry");
            while (r.next()) {
                switch (r.field()) {
                    case 1, 2, 4, 7, 8, 9 -> pb.put(r.field(), r.bytes());
                    case 3, 5, 6 -> pb.put(r.field(), r.uint64());
                    default -> r.skip();
                }
            }
        } catch (ProtobufException e) {
            throw new InvalidRecord(e.getMessage());
        }
        byte[] sig = (byte[]) pb.get(8);
        byte[] data = (byte[]) pb.get(9);
        if (sig == null || data == null) {
            throw new InvalidRecord("IPNS record without signatureV2 and data");
        }
        PublicKey key = peer.inlinedPublicKey();
        if (pb.containsKey(7)) {
            PublicKey embedded;
            try {
                embedded = PublicKey.fromProtobuf((byte[]) pb.get(7));
            } catch (RuntimeException e) {
                throw new InvalidRecord("IPNS pubKey does not parse: " + e.getMessage());
            }
            if (!peer.matches(embedded)) {
                throw new InvalidRecord("IPNS pubKey is not the name's key");
            }
            key = embedded;
        }
        if (key == null) {
            throw new InvalidRecord("IPNS record without a public key for " + peer);
        }
        byte[] signed = new byte[IPNS_SIG_PREFIX.length + data.length];
        System.arraycopy(IPNS_SIG_PREFIX, 0, signed, 0, IPNS_SIG_PREFIX.length);
        System.arraycopy(data, 0, signed, IPNS_SIG_PREFIX.length, data.length);
        boolean ok;
        try {
            ok = key.verify(signed, sig);
        } catch (RuntimeException e) {
            throw new InvalidRecord("IPNS signature not checkable: " + e.getMessage());
        }
        if (!ok) {
            throw new InvalidRecord("IPNS signatureV2 does not verify for " + peer);
        }
        Map<String, Object> cbor = CborMap.decode(data);
        checkSame(pb.get(1), cbor.get("Value"), "Value");
        checkSame(pb.get(4), cbor.get("Validity"), "Validity");
        checkSame(pb.get(3), cbor.get("ValidityType"), "ValidityType");
        checkSame(pb.get(5), cbor.get("Sequence"), "Sequence");
        checkSame(pb.get(6), cbor.get("TTL"), "TTL");
        if (!(cbor.get("Value") instanceof byte[])
                || !(cbor.get("Sequence") instanceof Long seq)
                || !(cbor.get("ValidityType") instanceof Long vt)
                || !(cbor.get("Validity") instanceof byte[] validityBytes)) {
            throw new InvalidRecord("IPNS data lacks Value, Validity, ValidityType or Sequence");
        }
        if (vt != 0) {
            throw new InvalidRecord("IPNS ValidityType " + vt + " is unknown (0: EOL)");
        }
        Instant validity;
        try {
            validity = Instant.parse(new String(validityBytes, StandardCharsets.US_ASCII));
        } catch (DateTimeParseException e) {
            throw new InvalidRecord("IPNS Validity is not an RFC 3339 time: " + e.getMessage());
        }
        if (validity.toEpochMilli() <= now) {
            throw new InvalidRecord("IPNS record expired at " + validity);
        }
        long expires = Math.min(now + ttlMillis, validity.toEpochMilli());
        return new Stored(serialized, seq, validity, expires);
    }

    private static void checkSame(Object v1, Object v2, String field) {
        if (v1 == null) {
            return;
        }
        boolean same =
                v1 instanceof byte[] a && v2 instanceof byte[] b
                        ? Arrays.equals(a, b)
                        : v1.equals(v2);
        if (!same) {
            throw new InvalidRecord("IPNS " + field + " differs between protobuf and data");
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The value of a serialized {@code Record}. */
    static byte[] valueOf(byte[] serialized) {
        ProtoReader r = new ProtoReader(serialized, "Record");
        while (r.next()) {
            if (r.field() == 2) {
                return r.bytes();
            }
            r.skip();
        }
        throw new InvalidRecord("record without a value");
    }

    /** Encodes a {@code Record} (key and value only). */
    static byte[] encodeRecord(byte[] key, byte[] value) {
        return new ProtoWriter().bytes(1, key).bytes(2, value).toByteArray();
    }

    /**
     * The subset of DAG-CBOR an IPNS record's {@code data} uses: one map with text keys and
     * unsigned integer, byte string or text string values (others are skipped if simple, else
     * refused). Lengths are checked against the input.
     */
    static final class CborMap {
        private final byte[] b;
        private int pos;

        private CborMap(byte[] b) {
            this.b = b;
        }

        static Map<String, Object> decode(byte[] data) {
            CborMap c = new CborMap(data);
            int[] head = c.head();
            if (head[0] != 5) {
                throw new InvalidRecord("IPNS data is not a CBOR map");
            }
            Map<String, Object> out = new HashMap<>();
            long entries = c.arg;
            for (long i = 0; i < entries; i++) {
                int[] kh = c.head();
                if (kh[0] != 3) {
                    throw new InvalidRecord("IPNS data has a non-text key");
                }
                String k = new String(c.take(c.arg), StandardCharsets.UTF_8);
                int[] vh = c.head();
                Object v =
                        switch (vh[0]) {
                            case 0 -> c.arg;
                            case 2 -> c.take(c.arg);
                            case 3 -> new String(c.take(c.arg), StandardCharsets.UTF_8);
                            default ->
                                    throw new InvalidRecord(
                                            "IPNS data field " + k + " has CBOR type " + vh[0]);
                        };
                out.put(k, v);
            }
            if (c.pos != data.length) {
                throw new InvalidRecord("IPNS data has bytes after its map");
            }
            return out;
        }

        private long arg;

        /** Reads an item head: {major type}; its argument goes to {@link #arg}. */
        private int[] head() {
            if (pos >= b.length) {
                throw new InvalidRecord("IPNS data: CBOR ends early");
            }
            int ib = b[pos++] & 0xff;
            int major = ib >>> 5;
            int info = ib & 0x1f;
            if (info < 24) {
                arg = info;
            } else if (info <= 27) {
                int n = 1 << (info - 24);
                if (pos + n > b.length) {
                    throw new InvalidRecord("IPNS data: CBOR ends early");
                }
                long v = 0;
                for (int i = 0; i < n; i++) {
                    v = (v << 8) | (b[pos++] & 0xff);
                }
                if (v < 0) {
                    throw new InvalidRecord("IPNS data: CBOR integer too large");
                }
                arg = v;
            } else {
                throw new InvalidRecord("IPNS data: indefinite or reserved CBOR length");
            }
            return new int[] {major};
        }

        private byte[] take(long n) {
            if (n > b.length - pos) {
                throw new InvalidRecord("IPNS data: CBOR string longer than the input");
            }
            byte[] out = Arrays.copyOfRange(b, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }
    }
}
