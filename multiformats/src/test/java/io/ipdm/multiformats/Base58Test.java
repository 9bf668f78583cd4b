package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base58Test {
    private static final String ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /**
     * The definition, by big-integer division: slow but obviously right (by 58^10 per division, ten
     * digits from each remainder, to keep 1500-byte inputs quick).
     */
    private static String reference(byte[] b) {
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, b);
        BigInteger pow = BigInteger.valueOf(58).pow(10);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(pow);
            long rem = qr[1].longValueExact();
            n = qr[0];
            for (int k = 0; k < 10 && (n.signum() > 0 || rem > 0); k++) {
                sb.append(ALPHABET.charAt((int) (rem % 58)));
                rem /= 58;
            }
        }
        for (int i = 0; i < b.length && b[i] == 0; i++) {
            sb.append('1');
        }
        return sb.reverse().toString();
    }

    @Test
    void agreesWithTheDefinitionOnShortAndTransactionSizedInputs() {
        Random r = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(i < 1000 ? 40 : 1300)];
            r.nextBytes(b);
            for (int z = 0; z < b.length && z < r.nextInt(4); z++) {
                b[z] = 0;
            }
            String text = reference(b);
            assertThat(Base58.encode(b)).isEqualTo(text);
            assertThat(Base58.decode(text)).as(text).isEqualTo(b);
        }
        assertThat(Base58.decode("")).isEmpty();
        assertThat(Base58.decode("111")).containsExactly(0, 0, 0);
        assertThat(Base58.encode(new byte[0])).isEmpty();
        assertThat(Base58.encode(new byte[32])).isEqualTo("11111111111111111111111111111111");
    }

    /**
     * The table encode of up to 66 bytes at its largest sums (every byte 0xff, and 0x01/0x80 tops
     * that make the top limb short or long), every length to past the table's, with leading zeros.
     */
    @Test
    void extremeBytesOfEveryShortLengthEncodeLikeTheDefinition() {
        for (int len = 0; len <= 80; len++) {
            for (int zeros = 0; zeros <= Math.min(len, 3); zeros++) {
                for (int top : new int[] {0xff, 0x80, 0x01}) {
                    byte[] b = new byte[len];
                    java.util.Arrays.fill(b, zeros, len, (byte) 0xff);
                    if (len > zeros) {
                        b[zeros] = (byte) top;
                    }
                    String text = reference(b);
                    assertThat(Base58.encode(b))
                            .as("%d bytes, %d zeros", len, zeros)
                            .isEqualTo(text);
                    assertThat(Base58.decode(text)).isEqualTo(b);
                }
            }
        }
    }

    @Test
    void rejectsCharactersOutsideTheAlphabet() {
        assertThatThrownBy(() -> Base58.decode("3yZe7dOl"))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("invalid base58btc character 'O' at position 6");
    }

    /** The definition read backwards: digits folded by big-integer multiply-add. */
    private static byte[] referenceDecode(String text) {
        BigInteger n = BigInteger.ZERO;
        BigInteger fiftyEight = BigInteger.valueOf(58);
        for (int i = 0; i < text.length(); i++) {
            n = n.multiply(fiftyEight).add(BigInteger.valueOf(ALPHABET.indexOf(text.charAt(i))));
        }
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
        int skip = mag.length > 0 && mag[0] == 0 ? 1 : 0;
        byte[] out = new byte[zeros + mag.length - skip];
        System.arraycopy(mag, skip, out, zeros, mag.length - skip);
        return out;
    }

    @Test
    void everyLengthUpTo1500WithAndWithoutLeadingZerosRoundTripsLikeTheDefinition() {
        Random r = new Random(1500);
        byte[] dst = new byte[Base58.maxDecodedLength(2100) + 8];
        for (int len = 0; len <= 1500; len++) {
            byte[] b = new byte[len];
            r.nextBytes(b);
            int zeros = len == 0 ? 0 : r.nextInt(Math.min(len, 5) + 1);
            for (int z = 0; z < zeros; z++) {
                b[z] = 0;
            }
            if (len > zeros && r.nextInt(8) == 0) {
                b[zeros] = (byte) (1 + r.nextInt(3)); // a small top digit: short first groups
            }
            String text = reference(b);
            assertThat(Base58.encode(b)).as("encode of %d bytes", len).isEqualTo(text);
            assertThat(Base58.decode(text)).as("decode of %d bytes", len).isEqualTo(b);
            char[] chars = ("xx" + text + "yy").toCharArray();
            java.util.Arrays.fill(dst, (byte) 0x5a);
            int n = Base58.decode(chars, 2, text.length(), dst, 3);
            assertThat(n).isEqualTo(len);
            assertThat(java.util.Arrays.copyOfRange(dst, 3, 3 + n)).isEqualTo(b);
            assertThat(dst[2]).isEqualTo((byte) 0x5a); // nothing written outside its bytes
            assertThat(dst[3 + n]).isEqualTo((byte) 0x5a);
            // the same from ASCII bytes in place, and encoding a slice
            byte[] ascii =
                    ("xx" + text + "yy").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.util.Arrays.fill(dst, (byte) 0x5a);
            assertThat(Base58.decode(ascii, 2, text.length(), dst, 3)).isEqualTo(len);
            assertThat(java.util.Arrays.copyOfRange(dst, 3, 3 + len)).isEqualTo(b);
            assertThat(dst[3 + len]).isEqualTo((byte) 0x5a);
            byte[] framed = new byte[len + 4];
            System.arraycopy(b, 0, framed, 1, len);
            framed[0] = 7;
            framed[len + 1] = 9;
            assertThat(Base58.encode(framed, 1, len)).isEqualTo(text);
        }
    }

    @Test
    void randomTextsDecodeLikeTheDefinitionAndReEncodeToThemselves() {
        Random r = new Random(58);
        for (int i = 0; i < 3000; i++) {
            int len = i < 2000 ? r.nextInt(120) : r.nextInt(2100);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                sb.append(
                        k < 3 && r.nextBoolean()
                                ? '1'
                                : ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
            String text = sb.toString();
            byte[] expected = referenceDecode(text);
            assertThat(Base58.decode(text)).as(text).isEqualTo(expected);
            assertThat(Base58.encode(expected)).isEqualTo(text);
        }
        // Extremes of a group of ten digits: all 'z' (58^10 - 1 per group) and '1's after a digit.
        for (int len = 1; len <= 45; len++) {
            String zs = "z".repeat(len);
            assertThat(Base58.decode(zs)).as(zs).isEqualTo(referenceDecode(zs));
            String ones = "2" + "1".repeat(len);
            assertThat(Base58.decode(ones)).as(ones).isEqualTo(referenceDecode(ones));
            assertThat(Base58.encode(referenceDecode(zs))).isEqualTo(zs);
        }
    }

    @Test
    void everyInvalidCharacterAtEveryPositionIsNamedWithItsPosition() {
        byte[] forty = new byte[40];
        new Random(7).nextBytes(forty);
        String valid = Base58.encode(forty);
        String text = "11" + valid; // leading '1's are walked by their own loop
        char[] bad = {'0', 'O', 'I', 'l', '+', '/', '=', ' ', '\u00e9', '\u20ac', '\0'};
        for (int pos = 0; pos < text.length(); pos++) {
            for (char c : bad) {
                String s = text.substring(0, pos) + c + text.substring(pos + 1);
                String msg = "invalid base58btc character '" + c + "' at position " + pos;
                assertThatThrownBy(() -> Base58.decode(s))
                        .isInstanceOf(MultiformatException.class)
                        .hasMessage(msg);
                char[] chars = ("..." + s).toCharArray();
                assertThatThrownBy(
                                () -> Base58.decode(chars, 3, s.length(), new byte[s.length()], 0))
                        .isInstanceOf(MultiformatException.class)
                        .hasMessage(msg);
            }
        }
        // From bytes: a non-ASCII byte is named by its value.
        byte[] utf8 =
                ("..2" + valid.substring(1, 9) + "\u00e9")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Base58.decode(utf8, 2, utf8.length - 2, new byte[utf8.length], 0))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("invalid base58btc character byte 0xc3 at position 9");
        byte[] zero = "2zz0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Base58.decode(zero, 0, 4, new byte[4], 0))
                .hasMessage("invalid base58btc character '0' at position 3");
        // The first bad character is the one named.
        assertThatThrownBy(() -> Base58.decode("2" + "0" + "zz" + "O"))
                .hasMessage("invalid base58btc character '0' at position 1");
    }

    /**
     * Property: for random texts of 0..2000 characters (up to 2000 leading '1's, the group of ten
     * digits cut anywhere), decoding in place from bytes gives the big-integer definition's bytes,
     * writes nothing outside them, and a bad character put at a random place is the one named.
     */
    @Test
    void randomTextsUpTo2000CharactersDecodeInPlaceLikeTheDefinition() {
        Random r = new Random(2000);
        byte[] dst = new byte[2100];
        for (int i = 0; i < 1500; i++) {
            int len = r.nextInt(2001);
            int ones = r.nextInt(8) == 0 ? len : r.nextInt(Math.min(len, 6) + 1);
            StringBuilder sb = new StringBuilder("1".repeat(ones));
            while (sb.length() < len) {
                sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
            String text = sb.toString();
            byte[] expected = referenceDecode(text);
            byte[] framed = ("[" + text + "]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.util.Arrays.fill(dst, (byte) 0x5a);
            int n = Base58.decode(framed, 1, len, dst, 2);
            assertThat(n).as("length of %s", text).isEqualTo(expected.length);
            assertThat(java.util.Arrays.copyOfRange(dst, 2, 2 + n)).as(text).isEqualTo(expected);
            assertThat(dst[1]).isEqualTo((byte) 0x5a);
            assertThat(dst[2 + n]).isEqualTo((byte) 0x5a);
            assertThat(Base58.encode(expected)).isEqualTo(text);
            if (len > 0) {
                int at = r.nextInt(len);
                byte bad = (byte) "0OIl+/= \"\u00e9".charAt(r.nextInt(10));
                framed[1 + at] = bad;
                String named =
                        bad >= 0
                                ? "'" + (char) bad + "'"
                                : String.format("byte 0x%02x", bad & 0xff);
                assertThatThrownBy(() -> Base58.decode(framed, 1, len, dst, 0))
                        .isInstanceOf(MultiformatException.class)
                        .hasMessage("invalid base58btc character " + named + " at position " + at);
            }
        }
    }

    /**
     * Property: random byte arrays of 0..2000 bytes, with random runs of leading zeros (up to all
     * of them), all-0xff tails (the largest value of a length) and small top bytes (short first
     * groups), seeded: encode gives the big-integer definition's text, and decoding it (as a
     * String, and from ASCII bytes into a buffer at an offset) gives the bytes back, as the decoder
     * before the four-group fold ({@link Base58TwoPassBaseline}) does.
     */
    @Test
    void randomBytesUpTo2000WithLeadingZerosRoundTripLikeTheDefinitionAndTheTwoPassDecoder() {
        Random r = new Random(20_000);
        byte[] dst = new byte[2800];
        byte[] old = new byte[2800];
        for (int i = 0; i < 800; i++) {
            int len = r.nextInt(2001);
            byte[] b = new byte[len];
            r.nextBytes(b);
            int shape = r.nextInt(6);
            int zeros =
                    len == 0
                            ? 0
                            : shape == 0 ? r.nextInt(len + 1) : r.nextInt(Math.min(len, 9) + 1);
            java.util.Arrays.fill(b, 0, zeros, (byte) 0);
            if (shape == 1) {
                java.util.Arrays.fill(b, zeros, len, (byte) 0xff);
            } else if (shape == 2 && zeros < len) {
                b[zeros] = (byte) (1 + r.nextInt(3));
            }
            String text = reference(b);
            assertThat(Base58.encode(b)).as("encode of %d bytes", len).isEqualTo(text);
            assertThat(Base58.decode(text)).as("decode of %d bytes", len).isEqualTo(b);
            byte[] ascii = (" " + text).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.util.Arrays.fill(dst, (byte) 0x5a);
            int n = Base58.decode(ascii, 1, text.length(), dst, 5);
            assertThat(n).isEqualTo(len);
            assertThat(java.util.Arrays.copyOfRange(dst, 5, 5 + n)).isEqualTo(b);
            assertThat(dst[4]).isEqualTo((byte) 0x5a);
            assertThat(dst[5 + n]).isEqualTo((byte) 0x5a);
            int m = Base58TwoPassBaseline.decode(ascii, 1, text.length(), old, 0);
            assertThat(java.util.Arrays.copyOf(old, m)).isEqualTo(b);
        }
    }

    /**
     * The largest and smallest texts of every length up to 130 digits (every count of ten-digit
     * groups mod 4, so every shape of the fold's leftover groups and carry staircase), next to the
     * definition.
     */
    @Test
    void extremeTextsOfEveryGroupCountDecodeLikeTheDefinition() {
        for (int len = 1; len <= 130; len++) {
            for (String text :
                    new String[] {
                        "z".repeat(len), "2" + "1".repeat(len - 1), "1" + "z".repeat(len - 1)
                    }) {
                byte[] expected = referenceDecode(text);
                assertThat(Base58.decode(text)).as(text).isEqualTo(expected);
                assertThat(Base58.encode(expected)).isEqualTo(text);
            }
        }
    }

    @Test
    void multibaseSpecVectors() {
        // multiformats/multibase tests/{basic,leading_zero,two_leading_zeros}.csv, base58btc rows.
        byte[] yes = "yes mani !".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(Base58.encode(yes)).isEqualTo("7paNL19xttacUY");
        byte[] one = new byte[yes.length + 1];
        System.arraycopy(yes, 0, one, 1, yes.length);
        assertThat(Base58.encode(one)).isEqualTo("17paNL19xttacUY");
        byte[] two = new byte[yes.length + 2];
        System.arraycopy(yes, 0, two, 2, yes.length);
        assertThat(Base58.encode(two)).isEqualTo("117paNL19xttacUY");
        assertThat(Base58.decode("117paNL19xttacUY")).isEqualTo(two);
    }
}
