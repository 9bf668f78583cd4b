package io.ipdm.mesh.ipns;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An IPNS record (IPNS spec, "IPNS Record"): created and signed with a node's Ed25519 key, or
 * parsed and verified from its protobuf.
 *
 * <pre>
 * message IpnsEntry { bytes value = 1; bytes signatureV1 = 2; ValidityType validityType = 3;
 *                     bytes validity = 4; uint64 sequence = 5; uint64 ttl = 6; bytes pubKey = 7;
 *                     bytes signatureV2 = 8; bytes data = 9; }
 * </pre>
 *
 * {@code data} is a DAG-CBOR map {@code {TTL, Value, Sequence, Validity, ValidityType}} (keys in
 * DAG-CBOR order: shorter first) and {@code signatureV2} signs {@code "ipns-signature:" || data}.
 * Records we create also carry the V1 fields and {@code signatureV1} (over {@code value || validity
 * || "EOL"}) so that V1-only readers accept them; verification uses V2 only, as the spec requires.
 * Ed25519 keys are inlined in the peer id, so {@code pubKey} is left out.
 *
 * @param name the peer id whose key signed it
 * @param value the content path it points to, e.g. {@code /ipfs/bafy...}
 * @param validity end of life (validity type 0, EOL)
 * @param sequence higher replaces lower
 * @param ttl how long a resolver may cache it
 * @param entry the serialized {@code IpnsEntry}
 */
public record IpnsRecord(
        PeerId name, String value, Instant validity, long sequence, Duration ttl, byte[] entry) {
    /** The spec's limit on a record's size. */
    public static final int MAX_RECORD_BYTES = 10 * 1024;

    /** The trustless gateway's media type for a serialized record. */
    public static final String MEDIA_TYPE = "application/vnd.ipfs.ipns-record";

    private static final byte[] SIG_V2_PREFIX =
            "ipns-signature:".getBytes(StandardCharsets.US_ASCII);

    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** RFC 3339 in UTC with all nine fraction digits, as the spec's example and js-ipns write. */
    private static final DateTimeFormatter VALIDITY_OUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    /** RFC 3339 as read: any fraction length, 'Z' or an offset, 'T' and 'Z' in either case. */
    private static final DateTimeFormatter VALIDITY_IN =
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE)
                    .appendLiteral('T')
                    .append(DateTimeFormatter.ISO_LOCAL_TIME)
                    .appendOffset("+HH:MM", "Z")
                    .toFormatter(Locale.ROOT);

    /**
     * Creates and signs a record naming {@code value}.
     *
     * @throws IpnsException when {@code value} is not a path or the record would exceed the limit
     */
    public static IpnsRecord create(
            Ed25519KeyPair key, String value, Instant validity, long sequence, Duration ttl) {
        if (value == null || !value.startsWith("/")) {
            throw new IpnsException(
                    "IPNS value must be a content path like /ipfs/CID, got " + value);
        }
        if (sequence < 0 || ttl.isNegative()) {
            throw new IpnsException("IPNS sequence and TTL must not be negative");
        }
        if (validity.isBefore(FIRST) || validity.isAfter(LAST)) {
            throw new IpnsException(
                    "IPNS validity " + validity + " is outside the years 0000-9999 of RFC 3339");
        }
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] validityText = formatValidity(validity).getBytes(StandardCharsets.US_ASCII);
        long ttlNanos = ttl.toNanos();
        byte[] data = encodeData(v, validityText, sequence, ttlNanos);
        byte[] sigV1 = key.sign(concat(v, validityText, "EOL".getBytes(StandardCharsets.US_ASCII)));
        byte[] sigV2 = key.sign(concat(SIG_V2_PREFIX, data));
        byte[] entry =
                new ProtoWriter()
                        .bytes(1, v)
                        .bytes(2, sigV1)
                        .uint64(3, 0)
                        .bytes(4, validityText)
                        .uint64(5, sequence)
                        .uint64(6, ttlNanos)
                        .bytes(8, sigV2)
                        .bytes(9, data)
                        .toByteArray();
        if (entry.length > MAX_RECORD_BYTES) {
            throw new IpnsException(
                    "IPNS record of "
                            + entry.length
                            + " bytes exceeds "
                            + MAX_RECORD_BYTES
                            + "; use a shorter value");
        }
        return new IpnsRecord(
                key.peerId(),
                value,
                parseValidity(validityText),
                sequence,
                Duration.ofNanos(ttlNanos),
                entry);
    }

    /** The DHT key of {@code name}'s record: {@code "/ipns/" || peer id multihash}. */
    public static byte[] routingKey(PeerId name) {
        return concat("/ipns/".getBytes(StandardCharsets.US_ASCII), name.toBytes());
    }

    /**
     * Parses an IPNS name as users write it: a peer id in base58 or as a libp2p-key CID (base36
     * {@code k51...}, base32 {@code bafz...}), optionally after {@code /ipns/}.
     *
     * @throws IpnsException naming the text and what a name looks like
     */
    public static PeerId parseName(String text) {
        String t = text.startsWith("/ipns/") ? text.substring(6) : text;
        int slash = t.indexOf('/');
        if (slash >= 0) {
            t = t.substring(0, slash);
        }
        try {
            return PeerId.parse(t);
        } catch (IdentityException e) {
            throw new IpnsException(
                    "'"
                            + text
                            + "' is not an IPNS name (a peer id such as 12D3KooW... or k51...): "
                            + e.getMessage());
        }
    }

    /**
     * Parses and verifies {@code entry} as the record of {@code name} at {@code nowMillis}, in the
     * order of the spec's "Record Verification": at most {@link #MAX_RECORD_BYTES}; signatureV2 and
     * data present and not empty; the key inlined in the name (identity multihash) or {@code
     * pubKey} matching the name; signatureV2 over {@code "ipns-signature:" || data}; each V1 field
     * present in the protobuf ({@code value}, {@code validity}, {@code validityType}, {@code
     * sequence}, {@code ttl}) equal to its copy in {@code data}; validity type 0 (EOL) with an RFC
     * 3339 validity after now (in milliseconds). signatureV1 is never checked.
     *
     * @throws IpnsException naming what is wrong
     */
    public static IpnsRecord verify(PeerId name, byte[] entry, long nowMillis) {
        if (entry.length > MAX_RECORD_BYTES) {
            throw new IpnsException(
                    "IPNS record of " + entry.length + " bytes exceeds " + MAX_RECORD_BYTES);
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
            throw new IpnsException(e.getMessage());
        }
        byte[] sig = (byte[]) pb.get(8);
        byte[] data = (byte[]) pb.get(9);
        if (sig == null || data == null || sig.length == 0 || data.length == 0) {
            throw new IpnsException(
                    "IPNS record without signatureV2 and data (a V1-only record is not valid)");
        }
        PublicKey key;
        try {
            key = name.inlinedPublicKey();
        } catch (RuntimeException e) {
            throw new IpnsException("IPNS name's inlined key does not parse: " + e.getMessage());
        }
        if (pb.containsKey(7)) {
            PublicKey embedded;
            try {
                embedded = PublicKey.fromProtobuf((byte[]) pb.get(7));
            } catch (RuntimeException e) {
                throw new IpnsException("IPNS pubKey does not parse: " + e.getMessage());
            }
            if (!name.matches(embedded)) {
                throw new IpnsException("IPNS pubKey is not the name's key");
            }
            key = embedded;
        }
        if (key == null) {
            throw new IpnsException(
                    "IPNS record without a public key for "
                            + name
                            + " (its name is not an identity multihash and it has no pubKey)");
        }
        boolean ok;
        try {
            ok = key.verify(concat(SIG_V2_PREFIX, data), sig);
        } catch (RuntimeException e) {
            throw new IpnsException("IPNS signature not checkable: " + e.getMessage());
        }
        if (!ok) {
            throw new IpnsException("IPNS signatureV2 does not verify for " + name);
        }
        Map<String, Object> cbor = CborMap.decode(data);
        if (!(cbor.get("Value") instanceof byte[] value)
                || !(cbor.get("Sequence") instanceof Long seq)
                || !(cbor.get("ValidityType") instanceof Long vt)
                || !(cbor.get("Validity") instanceof byte[] validityBytes)
                || (cbor.containsKey("TTL") && !(cbor.get("TTL") instanceof Long))) {
            throw new IpnsException(
                    "IPNS data lacks Value and Validity (bytes) or ValidityType and Sequence"
                            + " (unsigned integers), or has a TTL that is not one");
        }
        // V1 copies that are present must equal the signed data (an absent one is not compared)
        checkSame(pb.get(1), value, "Value");
        checkSame(pb.get(4), validityBytes, "Validity");
        checkSame(pb.get(3), vt, "ValidityType");
        checkSame(pb.get(5), seq, "Sequence");
        checkSame(pb.get(6), cbor.getOrDefault("TTL", 0L), "TTL");
        if (vt != 0) {
            throw new IpnsException("IPNS ValidityType " + vt + " is unknown (0: EOL)");
        }
        Instant validity = parseValidity(validityBytes);
        // the clock reads milliseconds: a validity within the current one counts as passed
        if (validity.toEpochMilli() <= nowMillis) {
            throw new IpnsException("IPNS record expired at " + validity);
        }
        long ttl = cbor.get("TTL") instanceof Long t ? t : 0;
        return new IpnsRecord(
                name,
                new String(value, StandardCharsets.UTF_8),
                validity,
                seq,
                Duration.ofNanos(ttl),
                entry.clone());
    }

    /**
     * True when this record should replace {@code other} (both valid, for one name): the higher
     * sequence, then the later validity, as the spec's "Protocol" section and js-ipns's selector
     * order them. Equal on both: false, so the record held is kept.
     */
    public boolean betterThan(IpnsRecord other) {
        if (sequence != other.sequence) {
            return Long.compareUnsigned(sequence, other.sequence) > 0;
        }
        return validity.isAfter(other.validity);
    }

    static String formatValidity(Instant t) {
        return VALIDITY_OUT.format(t);
    }

    /** An RFC 3339 date-time (EOL validity) as an instant. */
    static Instant parseValidity(byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII);
        try {
            return OffsetDateTime.parse(s, VALIDITY_IN).toInstant();
        } catch (DateTimeParseException e) {
            throw new IpnsException(
                    "IPNS Validity '"
                            + (s.length() > 64 ? s.substring(0, 64) + "..." : s)
                            + "' is not an RFC 3339 date-time such as 1970-01-01T00:00:00.000000001Z");
        }
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
            throw new IpnsException("IPNS " + field + " differs between protobuf and data");
        }
    }

    /** {@code data}: a DAG-CBOR map, keys sorted shortest first, then bytewise. */
    static byte[] encodeData(byte[] value, byte[] validity, long sequence, long ttlNanos) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0xa5);
        text(o, "TTL");
        head(o, 0, ttlNanos);
        text(o, "Value");
        head(o, 2, value.length);
        o.writeBytes(value);
        text(o, "Sequence");
        head(o, 0, sequence);
        text(o, "Validity");
        head(o, 2, validity.length);
        o.writeBytes(validity);
        text(o, "ValidityType");
        head(o, 0, 0);
        return o.toByteArray();
    }

    private static void text(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        head(o, 3, b.length);
        o.writeBytes(b);
    }

    /** A CBOR item head with the shortest argument encoding, as DAG-CBOR requires. */
    private static void head(ByteArrayOutputStream o, int major, long arg) {
        int m = major << 5;
        if (arg >= 0 && arg < 24) {
            o.write(m | (int) arg);
        } else if (arg >= 0 && arg < 0x100) {
            o.write(m | 24);
            o.write((int) arg);
        } else if (arg >= 0 && arg < 0x10000) {
            o.write(m | 25);
            o.write((int) (arg >>> 8));
            o.write((int) arg);
        } else if (arg >= 0 && arg < 0x1_0000_0000L) {
            o.write(m | 26);
            for (int s = 24; s >= 0; s -= 8) {
                o.write((int) (arg >>> s));
            }
        } else {
            o.write(m | 27);
            for (int s = 56; s >= 0; s -= 8) {
                o.write((int) (arg >>> s));
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpnsRecord r && Arrays.equals(r.entry, entry);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entry);
    }

    @Override
    public String toString() {
        return "IpnsRecord["
                + name
                + " -> "
                + value
                + ", seq "
                + sequence
                + ", until "
                + validity
                + "]";
    }
}
