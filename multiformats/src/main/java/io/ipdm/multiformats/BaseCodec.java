package io.ipdm.multiformats;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;

/** One text encoding of bytes, without the multibase prefix. */
abstract class BaseCodec {
    abstract String encode(byte[] data);

    abstract byte[] decode(String text, String name);

    static MultiformatException badChar(String name, String text, int index) {
        return new MultiformatException(
                "invalid "
                        + name
                        + " character '"
                        + new String(Character.toChars(text.codePointAt(index)))
                        + "' at position "
                        + index);
    }

    /**
     * base58btc and base32 use {@link Base58} and {@link Base32}: Base58 is the fast limb-based
     * conversion Solana's base58 payloads need.
     */
    static final class Fast extends BaseCodec {
        private final boolean base58;
        private final boolean upper;

        Fast(boolean base58, boolean upper) {
            this.base58 = base58;
            this.upper = upper;
        }

        @Override
        String encode(byte[] data) {
            if (base58) {
                return Base58.encode(data);
            }
            String s = Base32.encode(data);
            return upper ? s.toUpperCase(Locale.ROOT) : s;
        }

        @Override
        byte[] decode(String text, String name) {
            return base58 ? Base58.decode(text) : Base32.decode(text);
        }
    }

    /** RFC 4648 style: a power-of-two alphabet, bits taken most significant first. */
    static final class Rfc4648 extends BaseCodec {
        private final char[] alphabet;
        private final int bitsPerChar;
        private final boolean pad;
        private final int[] lookup = new int[128];

        Rfc4648(String alphabet, int bitsPerChar, boolean pad, boolean caseInsensitive) {
            this.alphabet = alphabet.toCharArray();
            this.bitsPerChar = bitsPerChar;
            this.pad = pad;
            Arrays.fill(lookup, -1);
            for (int i = 0; i < this.alphabet.length; i++) {
                char c = this.alphabet[i];
                lookup[c] = i;
                if (caseInsensitive) {
                    lookup[Character.toLowerCase(c)] = i;
                    lookup[Character.toUpperCase(c)] = i;
                }
            }
        }

        @Override
        String encode(byte[] data) {
            StringBuilder out =
                    new StringBuilder((data.length * 8 + bitsPerChar - 1) / bitsPerChar);
            int mask = (1 << bitsPerChar) - 1;
            int buffer = 0;
            int bits = 0;
            for (byte b : data) {
                buffer = (buffer << 8) | (b & 0xFF);
                bits += 8;
                while (bits >= bitsPerChar) {
                    bits -= bitsPerChar;
                    out.append(alphabet[(buffer >> bits) & mask]);
                }
            }
            if (bits > 0) {
                out.append(alphabet[(buffer << (bitsPerChar - bits)) & mask]);
            }
            if (pad) {
                int block = bitsPerChar == 5 ? 8 : bitsPerChar == 6 ? 4 : 1;
                while (out.length() % block != 0) {
                    out.append('=');
                }
            }
            return out.toString();
        }

        @Override
        byte[] decode(String text, String name) {
            int end = text.length();
            while (end > 0 && text.charAt(end - 1) == '=') {
                end--;
            }
            byte[] out = new byte[end * bitsPerChar / 8];
            int buffer = 0;
            int bits = 0;
            int written = 0;
            for (int i = 0; i < end; i++) {
                char c = text.charAt(i);
                int v = c < 128 ? lookup[c] : -1;
                if (v < 0) {
                    throw badChar(name, text, i);
                }
                buffer = (buffer << bitsPerChar) | v;
                bits += bitsPerChar;
                if (bits >= 8) {
                    bits -= 8;
                    out[written++] = (byte) (buffer >> bits);
                }
            }
            if (bits >= bitsPerChar || (buffer & ((1 << bits) - 1)) != 0) {
                throw new MultiformatException(
                        "invalid " + name + " string: non-zero or excess trailing bits");
            }
            return out;
        }
    }

    /**
     * Big-number radix conversion (base10, base36, base58); leading zero bytes become alphabet[0].
     */
    static final class Radix extends BaseCodec {
        private final String alphabet;
        private final BigInteger base;
        private final boolean caseInsensitive;

        Radix(String alphabet, boolean caseInsensitive) {
            this.alphabet = alphabet;
            this.base = BigInteger.valueOf(alphabet.length());
            this.caseInsensitive = caseInsensitive;
        }

        @Override
        String encode(byte[] data) {
            int zeros = 0;
            while (zeros < data.length && data[zeros] == 0) {
                zeros++;
            }
            StringBuilder out = new StringBuilder();
            BigInteger n = new BigInteger(1, data);
            while (n.signum() > 0) {
                BigInteger[] qr = n.divideAndRemainder(base);
                out.append(alphabet.charAt(qr[1].intValue()));
                n = qr[0];
            }
            out.append(String.valueOf(alphabet.charAt(0)).repeat(zeros));
            return out.reverse().toString();
        }

        @Override
        byte[] decode(String text, String name) {
            String s = text;
            if (caseInsensitive) {
                boolean lower = !alphabet.equals(alphabet.toUpperCase(java.util.Locale.ROOT));
                s =
                        lower
                                ? text.toLowerCase(java.util.Locale.ROOT)
                                : text.toUpperCase(java.util.Locale.ROOT);
            }
            int zeros = 0;
            while (zeros < s.length() && s.charAt(zeros) == alphabet.charAt(0)) {
                zeros++;
            }
            BigInteger n = BigInteger.ZERO;
            for (int i = zeros; i < s.length(); i++) {
                int v = alphabet.indexOf(s.charAt(i));
                if (v < 0) {
                    throw badChar(name, text, i);
                }
                n = n.multiply(base).add(BigInteger.valueOf(v));
            }
            byte[] magnitude = n.signum() == 0 ? new byte[0] : n.toByteArray();
            int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
            byte[] out = new byte[zeros + magnitude.length - skip];
            System.arraycopy(magnitude, skip, out, zeros, magnitude.length - skip);
            return out;
        }
    }

    /** base256emoji: one code point per byte, from the table the multibase spec fixes. */
    static final class Emoji extends BaseCodec {
        private static final String TABLE =
                "🚀🪐☄🛰🌌🌑🌒🌓🌔🌕🌖🌗🌘🌍🌏🌎🐉☀💻🖥💾💿😂❤😍🤣😊🙏💕😭😘👍😅👏😁🔥🥰💔💖💙😢🤔😆🙄💪😉☺👌🤗💜😔😎😇🌹🤦🎉💞✌✨🤷😱😌🌸🙌😋💗💚😏💛🙂💓🤩😄😀🖤😃💯🙈👇🎶😒🤭❣😜💋👀😪😑💥🙋😞😩😡🤪👊🥳😥🤤👉💃😳✋😚😝😴🌟😬🙃🍀🌷😻😓⭐✅🥺🌈😈🤘💦✔😣🏃💐☹🎊💘😠☝😕🌺🎂🌻😐🖕💝🙊😹🗣💫💀👑🎵🤞😛🔴😤🌼😫⚽🤙☕🏆🤫👈😮🙆🍻🍃🐶💁😲🌿🧡🎁⚡🌞🎈❌✊👋😰🤨😶🤝🚶💰🍓💢🤟🙁🚨💨🤬✈🎀🍺🤓😙💟🌱😖👶🥴▶➡❓💎💸⬇😨🌚🦋😷🕺⚠🙅😟😵👎🤲🤠🤧📌🔵💅🧐🐾🍒😗🤑🌊🤯🐷☎💧😯💆👆🎤🙇🍑❄🌴💣🐸💌📍🥀🤢👅💡💩👐📸👻🤐🤮🎼🥵🚩🍎🍊👼💍📣🥂";
        private static final int[] CODE_POINTS = TABLE.codePoints().toArray();
        private static final java.util.Map<Integer, Integer> BYTES = new java.util.HashMap<>();

        static {
            if (CODE_POINTS.length != 256) {
                throw new ExceptionInInitializerError("base256emoji table must have 256 entries");
            }
            for (int i = 0; i < 256; i++) {
                BYTES.put(CODE_POINTS[i], i);
            }
        }

        @Override
        String encode(byte[] data) {
            StringBuilder out = new StringBuilder(data.length * 2);
            for (byte b : data) {
                out.appendCodePoint(CODE_POINTS[b & 0xFF]);
            }
            return out.toString();
        }

        @Override
        byte[] decode(String text, String name) {
            int[] cps = text.codePoints().toArray();
            byte[] out = new byte[cps.length];
            int index = 0;
            for (int i = 0; i < cps.length; i++) {
                Integer v = BYTES.get(cps[i]);
                if (v == null) {
                    throw badChar(name, text, index);
                }
                out[i] = (byte) (int) v;
                index += Character.charCount(cps[i]);
            }
            return out;
        }
    }
}
