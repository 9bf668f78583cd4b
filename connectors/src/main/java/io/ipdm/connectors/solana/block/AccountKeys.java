package io.ipdm.connectors.solana.block;

import io.ipdm.multiformats.Base58;
import java.util.Arrays;
import java.util.List;

/**
 * A transaction's full account list in index order: static keys, then keys loaded from address
 * tables (all writable, then all readonly), as instructions index them. Keys that arrive as raw
 * bytes are base58-encoded on first use only, through a small cache shared by all threads (the same
 * program ids and accounts recur in every block).
 *
 * <p>A decoder may leave the loaded keys undecoded when no column it was asked for reads them
 * ({@link #withUndecoded}): their count is known, their values are not, and reading one is a
 * programming error that throws rather than giving a wrong key.
 */
public final class AccountKeys {
    private final byte[][] raw;
    private final String[] text;

    /** Keys at this index and above are not known (not decoded). */
    private final int known;

    private AccountKeys(byte[][] raw, String[] text, int known) {
        this.raw = raw;
        this.text = text;
        this.known = known;
    }

    public static AccountKeys ofStrings(List<String> keys) {
        String[] text = keys.toArray(new String[0]);
        return new AccountKeys(null, text, text.length);
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
        return new AccountKeys(staticKeys, text, n);
    }

    /** Raw keys: the static ones followed by the loaded ones; {@code raw} is kept, not copied. */
    public static AccountKeys ofRaw(byte[][] raw) {
        return new AccountKeys(raw, new String[raw.length], raw.length);
    }

    /**
     * Raw static keys followed by {@code undecoded} loaded keys whose values were not decoded:
     * {@link #size()} counts them, {@link #get} of one throws.
     */
    public static AccountKeys withUndecoded(byte[][] staticKeys, int undecoded) {
        return new AccountKeys(
                staticKeys, new String[staticKeys.length + undecoded], staticKeys.length);
    }

    public int size() {
        return text.length;
    }

    /** The base58 key at {@code index}; the caller has checked the range with {@link #check}. */
    public String get(int index) {
        String s = text[index];
        if (s == null) {
            if (index >= known) {
                throw new IllegalStateException(
                        "account key "
                                + index
                                + " is loaded from an address table and was not decoded: the"
                                + " decoder was told no column reads it");
            }
            s = Text.of(raw[index]);
            text[index] = s;
        }
        return s;
    }

    /** Whether the key at {@code index} is {@code key} (given both raw and as text). */
    public boolean is(int index, byte[] rawKey, String key) {
        String s = text[index];
        if (s == null && index < known && raw != null && index < raw.length) {
            return Arrays.equals(raw[index], rawKey);
        }
        return key.equals(get(index));
    }

    /**
     * Base58 of a 32-byte value that recurs (a key, a recent blockhash), through the same cache.
     */
    public static String text(byte[] key) {
        return Text.of(key);
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
     * Base58 text of 32-byte keys through a direct-mapped cache: program ids and common accounts
     * recur in nearly every transaction, and encoding one costs far more than comparing 32 bytes.
     * Entries are immutable, so racing threads at worst miss.
     */
    static final class Text {
        private static final int SLOTS = 4096;
        private static final Entry[] CACHE = new Entry[SLOTS];
        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
                        long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

        private record Entry(byte[] key, String text) {}

        private Text() {}

        static String of(byte[] key) {
            if (key.length != 32) {
                return Base58.encode(key);
            }
            // keys are hashes or curve points: two words of them mix well enough
            long h = ((long) LONGS.get(key, 0) ^ (long) LONGS.get(key, 24)) * 0x9E3779B97F4A7C15L;
            int slot = (int) (h >>> 52) & (SLOTS - 1);
            Entry e = CACHE[slot];
            if (e != null && Arrays.equals(e.key, key)) {
                return e.text;
            }
            String s = Base58.encode(key);
            CACHE[slot] = new Entry(key.clone(), s);
            return s;
        }
    }
}
