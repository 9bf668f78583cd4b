package io.ipdm.multiformats;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The hash functions behind the multihashes IPDM computes and verifies ({@link Multihash} is the
 * value type).
 */
public final class Hashing {
    private Hashing() {}

    /**
     * The binary multihash of {@code data} under {@code codec}, truncated to {@code bits} when
     * smaller than the full digest.
     */
    public static byte[] multihashBytes(Multicodec codec, byte[] data, int bits) {
        if (bits <= 0 || bits % 8 != 0) {
            throw new MultiformatException(
                    "multihash length " + bits + " bits is not a whole number of bytes");
        }
        byte[] full = digest(codec, data);
        if (bits / 8 > full.length) {
            throw new MultiformatException(
                    codec.codecName() + " digests are " + full.length * 8 + " bits, not " + bits);
        }
        byte[] digest = Arrays.copyOf(full, bits / 8);
        byte[] out =
                new byte
                        [Varint.encodedLength(codec.code())
                                + Varint.encodedLength(digest.length)
                                + digest.length];
        int p = Varint.write(codec.code(), out, 0);
        p += Varint.write(digest.length, out, p);
        System.arraycopy(digest, 0, out, p, digest.length);
        return out;
    }

    /** The full-length multihash of {@code data} under {@code codec}. */
    public static Multihash compute(Multicodec codec, byte[] data) {
        return new Multihash(codec.code(), digest(codec, data));
    }

    /** The full digest of {@code data}. */
    public static byte[] digest(Multicodec codec, byte[] data) {
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
                    throw new MultiformatException(
                            "cannot compute a " + codec.codecName() + " multihash from bytes");
        };
    }

    private static byte[] jdk(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /** The hash function of a code when it can be recomputed from block bytes, else null. */
    public static Multicodec verifiable(long code) {
        for (Multicodec c : Multicodec.values()) {
            if (c.code() == code) {
                return switch (c) {
                    case IDENTITY,
                            SHA1,
                            SHA2_256,
                            SHA2_512,
                            SHA3_224,
                            SHA3_256,
                            SHA3_384,
                            SHA3_512,
                            BLAKE2B_256 ->
                            c;
                    default -> null;
                };
            }
        }
        return null;
    }

    /** Whether {@code data} hashes to {@code mh} (truncated digests compare on their prefix). */
    public static boolean matches(Multihash mh, byte[] data) {
        Multicodec codec = verifiable(mh.code());
        if (codec == null) {
            throw new MultiformatException(
                    "cannot verify a block hashed with " + Multicodec.nameOf(mh.code()));
        }
        byte[] expected = mh.digest();
        byte[] full = digest(codec, data);
        return expected.length <= full.length
                && MessageDigest.isEqual(Arrays.copyOf(full, expected.length), expected);
    }
}
