package io.ipdm.multiformats;

/**
 * Self-describing base encodings (<a
 * href="https://github.com/multiformats/multibase">multibase</a>): a one-code-point prefix names
 * the encoding of the rest. Base45 and proquint are not supported.
 */
public enum Multibase {
    BASE2("base2", '0', new BaseCodec.Rfc4648("01", 1, false, false)),
    BASE8("base8", '7', new BaseCodec.Rfc4648("01234567", 3, false, false)),
    BASE10("base10", '9', new BaseCodec.Radix("0123456789", false)),
    BASE16("base16", 'f', new BaseCodec.Rfc4648("0123456789abcdef", 4, false, true)),
    BASE16_UPPER("base16upper", 'F', new BaseCodec.Rfc4648("0123456789ABCDEF", 4, false, true)),
    BASE32_HEX("base32hex", 'v', rfc32("0123456789abcdefghijklmnopqrstuv", false)),
    BASE32_HEX_UPPER("base32hexupper", 'V', rfc32("0123456789ABCDEFGHIJKLMNOPQRSTUV", false)),
    BASE32_HEX_PAD("base32hexpad", 't', rfc32("0123456789abcdefghijklmnopqrstuv", true)),
    BASE32_HEX_PAD_UPPER("base32hexpadupper", 'T', rfc32("0123456789ABCDEFGHIJKLMNOPQRSTUV", true)),
    BASE32("base32", 'b', new BaseCodec.Fast(false, false)),
    BASE32_UPPER("base32upper", 'B', new BaseCodec.Fast(false, true)),
    BASE32_PAD("base32pad", 'c', rfc32("abcdefghijklmnopqrstuvwxyz234567", true)),
    BASE32_PAD_UPPER("base32padupper", 'C', rfc32("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", true)),
    BASE32_Z(
            "base32z",
            'h',
            new BaseCodec.Rfc4648("ybndrfg8ejkmcpqxot1uwisza345h769", 5, false, false)),
    BASE36("base36", 'k', new BaseCodec.Radix("0123456789abcdefghijklmnopqrstuvwxyz", true)),
    BASE36_UPPER(
            "base36upper", 'K', new BaseCodec.Radix("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", true)),
    BASE58_BTC("base58btc", 'z', new BaseCodec.Fast(true, false)),
    BASE58_FLICKR(
            "base58flickr",
            'Z',
            new BaseCodec.Radix(
                    "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", false)),
    BASE64("base64", 'm', rfc64('+', '/', false)),
    BASE64_PAD("base64pad", 'M', rfc64('+', '/', true)),
    BASE64_URL("base64url", 'u', rfc64('-', '_', false)),
    BASE64_URL_PAD("base64urlpad", 'U', rfc64('-', '_', true)),
    BASE256_EMOJI("base256emoji", 0x1F680, new BaseCodec.Emoji());

    private final String multibaseName;
    private final int prefix;
    private final BaseCodec codec;

    Multibase(String multibaseName, int prefix, BaseCodec codec) {
        this.multibaseName = multibaseName;
        this.prefix = prefix;
        this.codec = codec;
    }

    private static BaseCodec rfc32(String alphabet, boolean pad) {
        return new BaseCodec.Rfc4648(alphabet, 5, pad, true);
    }

    private static BaseCodec rfc64(char c62, char c63, boolean pad) {
        return new BaseCodec.Rfc4648(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + c62 + c63,
                6,
                pad,
                false);
    }

    /** The name the multibase table uses, e.g. {@code base58btc}. */
    public String multibaseName() {
        return multibaseName;
    }

    public int prefix() {
        return prefix;
    }

    /** Encodes with the prefix. */
    public String encode(byte[] data) {
        return new String(Character.toChars(prefix)) + codec.encode(data);
    }

    /** Decodes text WITHOUT its prefix. */
    public byte[] decodeBody(String body) {
        return codec.decode(body, multibaseName);
    }

    public static Multibase forName(String name) {
        for (Multibase b : values()) {
            if (b.multibaseName.equals(name)) {
                return b;
            }
        }
        throw new MultiformatException("unknown multibase encoding '" + name + "'");
    }

    public static Multibase forPrefix(String text) {
        if (text == null || text.isEmpty()) {
            throw new MultiformatException("empty multibase string");
        }
        int cp = text.codePointAt(0);
        for (Multibase b : values()) {
            if (b.prefix == cp) {
                return b;
            }
        }
        throw new MultiformatException(
                "unknown multibase prefix '" + new String(Character.toChars(cp)) + "'");
    }

    /** Decodes a prefixed multibase string. */
    public static byte[] decode(String text) {
        Multibase base = forPrefix(text);
        return base.decodeBody(text.substring(Character.charCount(base.prefix)));
    }
}
