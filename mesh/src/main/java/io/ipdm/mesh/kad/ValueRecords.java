package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.mesh.ipns.IpnsException;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DHT value records (PUT_VALUE / GET_VALUE) in the two namespaces libp2p peers use, validated
 * before they are stored:
 *
 * <ul>
 *   <li>{@code /pk/<multihash>}: a protobuf {@code PublicKey} whose peer id is that multihash.
 *   <li>{@code /ipns/<peer id>}: an IPNS record verified by {@link IpnsRecord#verify} (the spec's
 *       "Record Verification"); of two valid records for a name the higher {@code Sequence} wins,
 *       then the later validity ({@link IpnsRecord#betterThan}).
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

    /** A stored record: the serialized {@code Record} as received, its IPNS record if one. */
    private record Stored(byte[] record, IpnsRecord ipns, long expires) {}

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
                // our limit, not the sender's fault
                throw new InvalidRecord("record store full (" + maxRecords + " records)", false);
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

    /**
     * Whether the held {@code a} is kept over the arriving {@code b}: only an IPNS record strictly
     * better by {@link IpnsRecord#betterThan} (an equal one is replaced, so a re-put succeeds).
     */
    private static boolean better(Stored a, Stored b) {
        return a.ipns != null && b.ipns != null && a.ipns.betterThan(b.ipns);
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
            return new Stored(serialized, null, now + ttlMillis);
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
        PeerId peer;
        try {
            peer = PeerId.fromBytes(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecord("IPNS name is not a peer id: " + e.getMessage());
        }
        IpnsRecord r;
        try {
            r = IpnsRecord.verify(peer, entry, now);
        } catch (IpnsException e) {
            throw new InvalidRecord(e.getMessage());
        }
        long expires = Math.min(now + ttlMillis, r.validity().toEpochMilli());
        return new Stored(serialized, r, expires);
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
}
