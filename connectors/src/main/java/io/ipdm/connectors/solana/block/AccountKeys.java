package io.ipdm.connectors.solana.block;

import io.ipdm.multiformats.Base58;
import java.util.Arrays;
import java.util.List;

/**
 * A transaction's full account list in index order: static keys, then keys loaded from address
 * tables (all writable, then all readonly), as instructions index them. Keys that arrive as raw
 * bytes are base58-encoded on first use only.
 */
public final class AccountKeys {
    private final byte[][] raw;
    private final String[] text;
    private final KeyText shared;

    private AccountKeys(byte[][] raw, String[] text, KeyText shared) {
        this.raw = raw;
        this.text = text;
        this.shared = shared;
    }

    public static AccountKeys ofStrings(List<String> keys) {
        return new AccountKeys(null, keys.toArray(new String[0]), null);
    }

    /** Raw static keys followed by already-encoded loaded keys. */
    public static AccountKeys of(
            byte[][] staticKeys, List<String> writable, List<String> readonly) {
        return of(staticKeys, writable, readonly, null);
    }

    /**
     * Like {@link #of(byte[][], List, List)}, with the base58 text of raw keys taken from (and
     * added to) {@code shared}, which the transactions of one block share: program ids and fee
     * payers recur, and each is encoded once. Same threading as the keys themselves.
     */
    static AccountKeys of(
            byte[][] staticKeys, List<String> writable, List<String> readonly, KeyText shared) {
        int n = staticKeys.length + writable.size() + readonly.size();
        String[] text = new String[n];
        int i = staticKeys.length;
        for (String w : writable) {
            text[i++] = w;
        }
        for (String r : readonly) {
            text[i++] = r;
        }
        return new AccountKeys(staticKeys, text, shared);
    }

    public int size() {
        return text.length;
    }

    /** The base58 key at {@code index}; the caller has checked the range with {@link #check}. */
    public String get(int index) {
        String s = text[index];
        if (s == null) {
            s = shared != null ? shared.of(raw[index]) : Base58.encode(raw[index]);
            text[index] = s;
        }
        return s;
    }

    /** Throws naming the index and the number of keys when {@code index} is out of range. */
    public void check(int index, String what) {
        if (index < 0 || index >= text.length) {
            throw new IllegalArgumentException(
                    what
                            + " refers to account "
                            + index
                            + " but the transaction has "
                            + size()
                            + " account keys");
        }
    }

    /** Index of a key given as text, or -1. Linear: account lists are short. */
    public int indexOf(String key) {
        for (int i = 0; i < text.length; i++) {
            if (key.equals(get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Base58 text of 32-byte keys (and recent blockhashes), looked up by their bytes: an
     * open-addressing table that grows to {@value #CAPACITY} keys and then stops (later ones are
     * encoded each time). Not thread-safe.
     */
    static final class KeyText {
        private static final int CAPACITY = 4096;
        private byte[][] keys = new byte[64][];
        private String[] texts = new String[64];
        private int size;

        String of(byte[] key) {
            if (key.length != 32) {
                return Base58.encode(key);
            }
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                byte[] k = keys[i];
                if (k == null) {
                    String text = Base58.encode(key);
                    if (size < CAPACITY) {
                        keys[i] = key;
                        texts[i] = text;
                        if (++size * 2 > keys.length) {
                            grow();
                        }
                    }
                    return text;
                }
                if (Arrays.equals(k, key)) {
                    return texts[i];
                }
            }
        }

        private static int slot(byte[] key, int mask) {
            int h = (key[0] & 0xff) | (key[1] & 0xff) << 8 | (key[2] & 0xff) << 16 | key[3] << 24;
            return (h * 0x9E3779B1) >>> 16 & mask;
        }

        private void grow() {
            byte[][] oldKeys = keys;
            String[] oldTexts = texts;
            keys = new byte[oldKeys.length * 2][];
            texts = new String[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != null) {
                    int i = slot(oldKeys[j], mask);
                    while (keys[i] != null) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    texts[i] = oldTexts[j];
                }
            }
        }
    }
}
