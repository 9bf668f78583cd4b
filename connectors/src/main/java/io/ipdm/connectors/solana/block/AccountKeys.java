package io.ipdm.connectors.solana.block;

import io.ipdm.multiformats.Base58;
import java.util.List;

/**
 * A transaction's full account list in index order: static keys, then keys loaded from address
 * tables (all writable, then all readonly), as instructions index them. Keys that arrive as raw
 * bytes are base58-encoded on first use only.
 */
public final class AccountKeys {
    private final byte[][] raw;
    private final String[] text;

    private AccountKeys(byte[][] raw, String[] text) {
        this.raw = raw;
        this.text = text;
    }

    public static AccountKeys ofStrings(List<String> keys) {
        return new AccountKeys(null, keys.toArray(new String[0]));
    }

    /** Raw static keys followed by already-encoded loaded keys. */
    public static AccountKeys of(
            byte[][] staticKeys, List<String> writable, List<String> readonly) {
        int n = staticKeys.length + writable.size() + readonly.size();
        String[] text = new String[n];
        int i = staticKeys.length;
        for (String w : writable) {
            text[i++] = w;
        }
        for (String r : readonly) {
            text[i++] = r;
        }
        return new AccountKeys(staticKeys, text);
    }

    public int size() {
        return text.length;
    }

    /** The base58 key at {@code index}; the caller has checked the range with {@link #check}. */
    public String get(int index) {
        String s = text[index];
        if (s == null) {
            s = Base58.encode(raw[index]);
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
}
