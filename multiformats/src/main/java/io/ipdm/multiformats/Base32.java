package io.ipdm.multiformats;

import java.io.ByteArrayOutputStream;

/**
 * RFC 4648 base32, lower case, no padding (multibase "base32", prefix {@code b}). Decoding ignores
 * case.
 */
public final class Base32 {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private Base32() {}

    public static String encode(byte[] input) {
        StringBuilder sb = new StringBuilder((input.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : input) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    public static byte[] decode(String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < input.length(); i++) {
            int v = ALPHABET.indexOf(Character.toLowerCase(input.charAt(i)));
            if (v < 0) {
                throw new MultiformatException(
                        "invalid base32 character '" + input.charAt(i) + "' at position " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
            throw new MultiformatException("invalid base32 length or non-zero trailing bits");
        }
        return out.toByteArray();
    }
}
