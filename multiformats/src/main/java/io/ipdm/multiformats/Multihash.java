package io.ipdm.multiformats;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A multihash: {@code varint(code) varint(length) digest}. Decodes and carries any code; {@link
 * Hashing} computes and verifies the digests.
 */
public final class Multihash {
    public static final int IDENTITY = 0x00;
    public static final int SHA2_256 = 0x12;

    /** Largest digest accepted when decoding, to bound allocation on untrusted input. */
    public static final int MAX_DIGEST_LENGTH = 1024;

    private final int code;
    private final byte[] digest;

    public Multihash(int code, byte[] digest) {
        if (code < 0) {
            throw new MultiformatException("multihash code must be non-negative, got " + code);
        }
        if (code == SHA2_256 && digest.length != 32) {
            throw new MultiformatException(
                    "sha2-256 multihash needs a 32-byte digest, got " + digest.length);
        }
        this.code = code;
        this.digest = digest.clone();
    }

    public static Multihash identity(byte[] data) {
        return new Multihash(IDENTITY, data);
    }

    public static Multihash sha2_256(byte[] data) {
        return new Multihash(SHA2_256, Hashing.digest(Multicodec.SHA2_256, data));
    }

    public int code() {
        return code;
    }

    public byte[] digest() {
        return digest.clone();
    }

    public int encodedLength() {
        return Varint.encodedLength(code) + Varint.encodedLength(digest.length) + digest.length;
    }

    public byte[] toBytes() {
        byte[] out = new byte[encodedLength()];
        int n = Varint.write(code, out, 0);
        n += Varint.write(digest.length, out, n);
        System.arraycopy(digest, 0, out, n, digest.length);
        return out;
    }

    /** Decodes a multihash that fills {@code bytes} exactly. */
    public static Multihash decode(byte[] bytes) {
        Decoded d = decodePrefix(bytes, 0, bytes.length);
        if (d.length() != bytes.length) {
            throw new MultiformatException(
                    "multihash has " + (bytes.length - d.length()) + " trailing bytes");
        }
        return d.multihash();
    }

    /** A multihash read from the front of a buffer and how many bytes it took. */
    public record Decoded(Multihash multihash, int length) {}

    public static Decoded decodePrefix(byte[] bytes, int offset, int limit) {
        Varint.Decoded code = Varint.read(bytes, offset, limit);
        if (code.value() > Integer.MAX_VALUE) {
            throw new MultiformatException("multihash code too large: " + code.value());
        }
        Varint.Decoded len = Varint.read(bytes, offset + code.length(), limit);
        if (len.value() > MAX_DIGEST_LENGTH) {
            throw new MultiformatException(
                    "multihash digest length " + len.value() + " exceeds " + MAX_DIGEST_LENGTH);
        }
        int start = offset + code.length() + len.length();
        if (start + len.value() > limit) {
            throw new MultiformatException(
                    "multihash truncated: digest needs "
                            + len.value()
                            + " bytes, "
                            + (limit - start)
                            + " available");
        }
        byte[] digest = Arrays.copyOfRange(bytes, start, start + (int) len.value());
        return new Decoded(
                new Multihash((int) code.value(), digest), start + (int) len.value() - offset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash m && m.code == code && Arrays.equals(m.digest, digest);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "Multihash(0x"
                + Integer.toHexString(code)
                + ", "
                + HexFormat.of().formatHex(digest)
                + ")";
    }
}
