package io.ipdm.lakes.cid;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A self-describing hash: {@code varint(code) varint(length) digest}. Immutable; the digest is
 * copied in and out.
 */
public final class Multihash {
    private final long code;
    private final byte[] digest;

    private Multihash(long code, byte[] digest) {
        this.code = code;
        this.digest = digest;
    }

    public static Multihash of(long code, byte[] digest) {
        return new Multihash(code, digest.clone());
    }

    /** Hashes {@code data} with {@code codec}, truncating to {@code bits} when smaller. */
    public static Multihash compute(Multicodec codec, byte[] data, int bits) {
        if (bits <= 0 || bits % 8 != 0) {
            throw new CidException(
                    "multihash length " + bits + " bits is not a whole number of bytes");
        }
        byte[] full = fullDigest(codec, data);
        if (bits / 8 > full.length) {
            throw new CidException(
                    codec.codecName() + " digests are " + full.length * 8 + " bits, not " + bits);
        }
        return new Multihash(codec.code(), Arrays.copyOf(full, bits / 8));
    }

    public static Multihash sha256(byte[] data) {
        return new Multihash(Multicodec.SHA2_256.code(), fullDigest(Multicodec.SHA2_256, data));
    }

    public static Multihash identity(byte[] data) {
        return new Multihash(Multicodec.IDENTITY.code(), data.clone());
    }

    static byte[] fullDigest(Multicodec codec, byte[] data) {
        return switch (codec) {
            case IDENTITY -> data.clone();
            case SHA1 -> jdk("SHA-1", data);
            case SHA2_256 -> jdk("SHA-256", data);
            case SHA2_512 -> jdk("SHA-512", data);
            case SHA3_224 -> jdk("SHA3-224", data);
            case SHA3_256 -> jdk("SHA3-256", data);
            case SHA3_384 -> jdk("SHA3-384", data);
            case SHA3_512 -> jdk("SHA3-512", data);
            case BLAKE2B_256 -> Blake2b.digest(data, 32);
            case SHA2_256_TRUNC254_PADDED -> {
                byte[] d = jdk("SHA-256", data);
                d[31] &= 0x3F;
                yield d;
            }
            default ->
                    throw new CidException(
                            "cannot compute a " + codec.codecName() + " multihash from bytes");
        };
    }

    private static byte[] jdk(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    /**
     * True when this code can be recomputed from the block bytes (so the block can be verified).
     */
    public boolean isVerifiable() {
        return code == Multicodec.IDENTITY.code()
                || code == Multicodec.SHA2_256.code()
                || code == Multicodec.SHA2_512.code()
                || code == Multicodec.SHA1.code()
                || code == Multicodec.BLAKE2B_256.code()
                || (code >= 0x14 && code <= 0x17);
    }

    /** Whether {@code data} hashes to this multihash. */
    public boolean matches(byte[] data) {
        Multicodec codec = null;
        for (Multicodec c : Multicodec.values()) {
            if (c.code() == code) {
                codec = c;
            }
        }
        if (codec == null || !isVerifiable()) {
            throw new CidException("cannot verify a block hashed with " + Multicodec.nameOf(code));
        }
        byte[] full = fullDigest(codec, data);
        return digest.length <= full.length
                && MessageDigest.isEqual(Arrays.copyOf(full, digest.length), digest);
    }

    public long code() {
        return code;
    }

    public byte[] digest() {
        return digest.clone();
    }

    public int digestLength() {
        return digest.length;
    }

    public int encodedLength() {
        return Varints.size(code) + Varints.size(digest.length) + digest.length;
    }

    public byte[] toBytes() {
        byte[] out = new byte[encodedLength()];
        writeTo(out, 0);
        return out;
    }

    int writeTo(byte[] out, int offset) {
        int p = offset;
        p += Varints.write(code, out, p);
        p += Varints.write(digest.length, out, p);
        System.arraycopy(digest, 0, out, p, digest.length);
        return p + digest.length - offset;
    }

    public static Multihash fromBytes(byte[] bytes) {
        int[] consumed = new int[1];
        Multihash mh = read(bytes, 0, bytes.length, consumed);
        if (consumed[0] != bytes.length) {
            throw new CidException(
                    "multihash has " + (bytes.length - consumed[0]) + " trailing bytes");
        }
        return mh;
    }

    static Multihash read(byte[] in, int pos, int limit, int[] consumed) {
        int[] n = new int[1];
        int p = pos;
        long code = Varints.read(in, p, limit, n);
        p += n[0];
        long length = Varints.read(in, p, limit, n);
        p += n[0];
        if (length > limit - p) {
            throw new CidException(
                    "multihash digest length "
                            + length
                            + " exceeds the "
                            + (limit - p)
                            + " bytes available");
        }
        byte[] digest = Arrays.copyOfRange(in, p, p + (int) length);
        consumed[0] = p + (int) length - pos;
        return new Multihash(code, digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash m && m.code == code && Arrays.equals(m.digest, digest);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(code) * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return Multicodec.nameOf(code) + ":" + HexFormat.of().formatHex(digest);
    }
}
