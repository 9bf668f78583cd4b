package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base58Test {
    private static final String ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /** The definition, by big-integer division: slow but obviously right. */
    private static String reference(byte[] b) {
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, b);
        BigInteger fiftyEight = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(fiftyEight);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
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

    @Test
    void rejectsCharactersOutsideTheAlphabet() {
        assertThatThrownBy(() -> Base58.decode("3yZe7dOl"))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("invalid base58btc character 'O' at position 6");
    }
}
