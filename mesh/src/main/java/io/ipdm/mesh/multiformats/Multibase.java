package io.ipdm.mesh.multiformats;

import java.util.HexFormat;

/** The few multibase encodings IPDM uses, with their one-character prefixes. */
public enum Multibase {
    BASE58BTC('z'),
    BASE32('b'),
    BASE16('f');

    private final char prefix;

    Multibase(char prefix) {
        this.prefix = prefix;
    }

    public char prefix() {
        return prefix;
    }

    /** Encodes with the prefix. */
    public String encode(byte[] data) {
        return prefix + encodeBare(data);
    }

    /** Encodes without the prefix. */
    public String encodeBare(byte[] data) {
        return switch (this) {
            case BASE58BTC -> Base58.encode(data);
            case BASE32 -> Base32.encode(data);
            case BASE16 -> HexFormat.of().formatHex(data);
        };
    }

    /** Decodes a prefixed multibase string in one of the supported encodings. */
    public static byte[] decode(String text) {
        if (text.isEmpty()) {
            throw new MultiformatException("empty multibase string");
        }
        char p = text.charAt(0);
        String body = text.substring(1);
        if (p == 'B') {
            return BASE32.decodeBare(body); // base32upper
        }
        for (Multibase b : values()) {
            if (b.prefix == p) {
                return b.decodeBare(body);
            }
        }
        throw new MultiformatException(
                "unsupported multibase prefix '"
                        + p
                        + "' (supported: z base58btc, b/B base32, f base16)");
    }

    public byte[] decodeBare(String body) {
        return switch (this) {
            case BASE58BTC -> Base58.decode(body);
            case BASE32 -> Base32.decode(body);
            case BASE16 -> {
                try {
                    yield HexFormat.of().parseHex(body.toLowerCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new MultiformatException("invalid base16: " + e.getMessage());
                }
            }
        };
    }
}
