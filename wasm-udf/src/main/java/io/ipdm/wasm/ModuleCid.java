package io.ipdm.wasm;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Content id of a module's bytes: CIDv1, codec {@code raw} (0x55), multihash sha2-256 (0x12, 32
 * bytes), written in multibase base32 lower case without padding ({@code b...}, e.g. {@code
 * bafkrei...}). The whole computation lives here so the full CID implementation of lava-lakes can
 * replace it later.
 */
public final class ModuleCid {
    private static final byte[] PREFIX = {0x01, 0x55, 0x12, 0x20};
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private final byte[] digest;

    private ModuleCid(byte[] digest) {
        this.digest = digest;
    }

    /** The CID of these bytes. */
    public static ModuleCid of(byte[] bytes) {
        try {
            return new ModuleCid(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Parses a {@code b...} CIDv1 string; only raw + sha2-256 are module ids. */
    public static ModuleCid parse(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != 'b') {
            throw new IllegalArgumentException(
                    "not a module CID: '"
                            + text
                            + "'; expected CIDv1 in base32 starting with 'b' (e.g. bafkrei...)");
        }
        byte[] bytes = decodeBase32(text);
        if (bytes.length != PREFIX.length + 32
                || !Arrays.equals(Arrays.copyOf(bytes, PREFIX.length), PREFIX)) {
            throw new IllegalArgumentException(
                    "not a module CID: '"
                            + text
                            + "'; module CIDs are CIDv1, raw codec, sha2-256 (prefix 01 55 12 20)");
        }
        return new ModuleCid(Arrays.copyOfRange(bytes, PREFIX.length, bytes.length));
    }

    /** The binary CID: version, codec, multihash. */
    public byte[] bytes() {
        byte[] out = Arrays.copyOf(PREFIX, PREFIX.length + digest.length);
        System.arraycopy(digest, 0, out, PREFIX.length, digest.length);
        return out;
    }

    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }

    @Override
    public String toString() {
        byte[] b = bytes();
        StringBuilder sb = new StringBuilder("b");
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleCid other && Arrays.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    private static byte[] decodeBase32(String text) {
        byte[] out = new byte[(text.length() - 1) * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 1; i < text.length(); i++) {
            int v = BASE32.indexOf(text.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException(
                        "not a module CID: '"
                                + text
                                + "' has '"
                                + text.charAt(i)
                                + "', which is not base32 lower case");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
