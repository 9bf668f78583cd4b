package io.ipdm.connectors.solana.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.multiformats.Base58;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastBase58Test {
    @Test
    void agreesWithMeshBase58() {
        Random r = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(i < 1000 ? 40 : 1300)];
            r.nextBytes(b);
            for (int z = 0; z < b.length && z < r.nextInt(4); z++) {
                b[z] = 0;
            }
            String text = Base58.encode(b);
            assertThat(FastBase58.encode(b)).isEqualTo(text);
            assertThat(FastBase58.decode(text)).as(text).isEqualTo(b);
        }
        assertThat(FastBase58.decode("")).isEmpty();
        assertThat(FastBase58.decode("111")).containsExactly(0, 0, 0);
        assertThat(FastBase58.encode(new byte[0])).isEmpty();
        assertThat(FastBase58.encode(new byte[32])).isEqualTo("11111111111111111111111111111111");
    }

    @Test
    void rejectsCharactersOutsideTheAlphabet() {
        assertThatThrownBy(() -> FastBase58.decode("3yZe7dOl"))
                .hasMessage("invalid base58 character 'O' at position 6");
    }
}
