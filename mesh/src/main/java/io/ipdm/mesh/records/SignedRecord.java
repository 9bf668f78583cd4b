package io.ipdm.mesh.records;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A (key, value, version) tuple signed by its author, so that any peer can relay it and any
 * receiver can check it. Canonical encoding (protobuf wire format, fields in this order, each
 * exactly once, nothing else):
 *
 * <pre>
 * message SignedRecord {
 *   bytes  author    = 1;  // libp2p PublicKey protobuf (Ed25519)
 *   bytes  key       = 2;  // 1..MAX_KEY bytes
 *   bytes  value     = 3;  // 0..maxValue bytes
 *   uint64 version   = 4;  // 0..2^63-1
 *   bytes  signature = 5;  // Ed25519 over "ipdm-record:v1" || fields 1-4 as encoded here
 * }
 * </pre>
 *
 * The record's digest, the item RIBLT reconciles, is SHA-256 of these bytes; decoding refuses any
 * other encoding of the same fields so that one record has one digest.
 */
public final class SignedRecord {
    public static final int MAX_KEY = 1024;
    private static final byte[] DOMAIN = "ipdm-record:v1".getBytes(StandardCharsets.UTF_8);

    private final PublicKey author;
    private final byte[] key;
    private final byte[] value;
    private final long version;
    private final byte[] signature;
    private final byte[] encoded;
    private final byte[] digest;

    private SignedRecord(
            PublicKey author, byte[] key, byte[] value, long version, byte[] signature) {
        this.author = author;
        this.key = key;
        this.value = value;
        this.version = version;
        this.signature = signature;
        this.encoded = unsigned(author, key, value, version).bytes(5, signature).toByteArray();
        this.digest = sha256(encoded);
    }

    /** Signs {@code value} as version {@code version} of {@code key} by {@code author}. */
    public static SignedRecord sign(Ed25519KeyPair author, byte[] key, byte[] value, long version) {
        checkFields(key, value, version, Integer.MAX_VALUE);
        byte[] k = key.clone();
        byte[] v = value.clone();
        byte[] sig = author.sign(signedBytes(author.publicKey(), k, v, version));
        return new SignedRecord(author.publicKey(), k, v, version, sig);
    }

    /**
     * Parses a canonical encoding; the signature is not checked here ({@link #verify()} does), so a
     * store can tell a forged record from a malformed one.
     */
    public static SignedRecord decode(byte[] bytes, int maxValue) {
        ProtoReader r = new ProtoReader(bytes, "SignedRecord");
        byte[][] f = new byte[6][];
        long version = -1;
        int expected = 1;
        try {
            while (r.next()) {
                int field = r.field();
                if (field != expected) {
                    throw new RecordException(
                            "signed record: field "
                                    + field
                                    + " where field "
                                    + expected
                                    + " was expected (not the canonical encoding)");
                }
                if (field == 4) {
                    version = r.uint64();
                } else {
                    f[field] = r.bytes();
                }
                expected++;
            }
        } catch (RuntimeException e) {
            if (e instanceof RecordException re) {
                throw re;
            }
            throw new RecordException("signed record: malformed protobuf: " + e.getMessage());
        }
        if (expected != 6) {
            throw new RecordException(
                    "signed record: field " + expected + " missing (fields 1-5 are required)");
        }
        checkFields(f[2], f[3], version, maxValue);
        PublicKey author;
        try {
            author = PublicKey.fromProtobuf(f[1]);
        } catch (RuntimeException e) {
            throw new RecordException("signed record: bad author key: " + e.getMessage());
        }
        SignedRecord rec = new SignedRecord(author, f[2], f[3], version, f[5]);
        if (!Arrays.equals(rec.encoded, bytes)) {
            throw new RecordException("signed record: not the canonical encoding of its fields");
        }
        return rec;
    }

    /** Whether the signature is the author's over the canonical fields. */
    public boolean verify() {
        return author.verify(signedBytes(author, key, value, version), signature);
    }

    public PublicKey author() {
        return author;
    }

    public PeerId authorId() {
        return author.toPeerId();
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] value() {
        return value.clone();
    }

    /** Whether the key starts with {@code prefix} (no copy). */
    public boolean hasKeyPrefix(byte[] prefix) {
        return prefix.length <= key.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    public long version() {
        return version;
    }

    /** The canonical signed encoding. */
    public byte[] encoded() {
        return encoded.clone();
    }

    public int encodedLength() {
        return encoded.length;
    }

    /** SHA-256 of {@link #encoded()}: the item reconciled by RIBLT. */
    public byte[] digest() {
        return digest.clone();
    }

    /** The key as text when it is printable ASCII, else as hex. */
    public String keyText() {
        for (byte b : key) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + HexFormat.of().formatHex(key);
            }
        }
        return new String(key, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "record " + keyText() + " v" + version + " by " + authorId();
    }

    private static void checkFields(byte[] key, byte[] value, long version, int maxValue) {
        if (key == null || key.length == 0 || key.length > MAX_KEY) {
            throw new RecordException(
                    "signed record: key must be 1.."
                            + MAX_KEY
                            + " bytes, got "
                            + (key == null ? 0 : key.length));
        }
        if (value.length > maxValue) {
            throw new RecordException(
                    "signed record: value of "
                            + value.length
                            + " bytes exceeds the limit of "
                            + maxValue
                            + " bytes (maxValue)");
        }
        if (version < 0) {
            throw new RecordException("signed record: version must be 0..2^63-1");
        }
    }

    private static ProtoWriter unsigned(PublicKey author, byte[] key, byte[] value, long version) {
        return new ProtoWriter()
                .bytes(1, author.toProtobuf())
                .bytes(2, key)
                .bytes(3, value)
                .uint64(4, version);
    }

    private static byte[] signedBytes(PublicKey author, byte[] key, byte[] value, long version) {
        byte[] body = unsigned(author, key, value, version).toByteArray();
        byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + body.length);
        System.arraycopy(body, 0, out, DOMAIN.length, body.length);
        return out;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
