package io.ipdm.connectors.solana.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.multiformats.Base58;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AccountKeysTest {

    @Test
    void rawKeysGiveTheirBase58TextThroughTheCacheEvenWhenSlotsCollide() {
        Random random = new Random(1);
        byte[][] keys = new byte[20_000][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new byte[32];
            random.nextBytes(keys[i]);
        }
        // twice: the second pass reads cached text (or, after collisions, encodes again)
        for (int pass = 0; pass < 2; pass++) {
            AccountKeys k = AccountKeys.ofRaw(keys);
            for (int i = 0; i < keys.length; i++) {
                assertThat(k.get(i)).isEqualTo(Base58.encode(keys[i]));
            }
        }
        byte[] mutable = keys[0].clone();
        String before = AccountKeys.ofRaw(new byte[][] {mutable}).get(0);
        mutable[5] ^= 1; // the cache keeps a copy, so a changed array is a different key
        assertThat(AccountKeys.ofRaw(new byte[][] {mutable}).get(0))
                .isEqualTo(Base58.encode(mutable))
                .isNotEqualTo(before);
    }

    @Test
    void isComparesRawKeysAndText() {
        byte[] vote = Base58.decode(SolanaTransaction.VOTE_PROGRAM);
        byte[] other = new byte[32];
        AccountKeys k = AccountKeys.ofRaw(new byte[][] {other, vote});
        assertThat(k.is(1, vote, SolanaTransaction.VOTE_PROGRAM)).isTrue();
        assertThat(k.is(0, vote, SolanaTransaction.VOTE_PROGRAM)).isFalse();
        AccountKeys text =
                AccountKeys.ofStrings(java.util.List.of("x", SolanaTransaction.VOTE_PROGRAM));
        assertThat(text.is(1, vote, SolanaTransaction.VOTE_PROGRAM)).isTrue();
        assertThat(text.is(0, vote, SolanaTransaction.VOTE_PROGRAM)).isFalse();
    }

    @Test
    void undecodedLoadedKeysAreCountedAndReadingOneThrows() {
        byte[] payer = new byte[32];
        payer[0] = 7;
        AccountKeys k = AccountKeys.withUndecoded(new byte[][] {payer}, 2);
        assertThat(k.size()).isEqualTo(3);
        assertThat(k.get(0)).isEqualTo(Base58.encode(payer));
        k.check(2, "instruction 0");
        assertThatThrownBy(() -> k.get(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "account key 1 is loaded from an address table and was not decoded: the"
                                + " decoder was told no column reads it");
        assertThatThrownBy(() -> k.is(2, payer, "x")).isInstanceOf(IllegalStateException.class);
    }
}
