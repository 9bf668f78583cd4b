package io.ipdm.mesh.riblt;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Streams the coded symbols of a set of 32-byte items, as many as asked, in order (the rateless
 * part: the stream has no fixed length). Items may be added while streaming: a late item is folded
 * into the symbols already produced through {@link Folder} (the decoder uses this for the items it
 * peels) and into every later symbol.
 *
 * <p>Each item carries a sign (+1 or -1) that is added to a symbol's count. Items wait in a bucket
 * queue keyed by their next index: one list per index of the current window of {@value #WINDOW}
 * symbols, and one list of items due after it, re-bucketed when the stream enters the next window.
 * Producing {@code m} symbols of {@code n} items thus costs about {@code n * 2 ln(m)} constant-time
 * steps (a binary heap, tried first, took 3x longer on 1M items in RibltBench).
 */
public final class RibltEncoder {
    /** Receives an item's contribution to an already-produced symbol. */
    interface Folder {
        void fold(long index, long w0, long w1, long w2, long w3, long hash, long sign);
    }

    private final long salt;
    private long[] words = new long[64];
    private long[] hashes = new long[16];
    private long[] states = new long[16];
    private long[] next = new long[16];
    private byte[] signs = new byte[16];
    private static final int WINDOW = 1 << 16;
    private final int[] head = new int[WINDOW];
    private int[] link = new int[16];
    private int far = -1;
    private long base;
    private int items;
    private long produced;

    public RibltEncoder(long salt) {
        this.salt = salt;
        java.util.Arrays.fill(head, -1);
    }

    /** Number of symbols produced so far. */
    public long produced() {
        return produced;
    }

    public int items() {
        return items;
    }

    /** Adds an item (32 bytes) with sign +1 before any symbol is produced. */
    public void add(byte[] item) {
        if (produced > 0) {
            throw new IllegalStateException("items are added before streaming starts");
        }
        add(item, 1, null);
    }

    void add(byte[] item, int sign, Folder folder) {
        if (item.length != CodedSymbols.ITEM_BYTES) {
            throw new RibltException(
                    "an item is " + CodedSymbols.ITEM_BYTES + " bytes, got " + item.length);
        }
        ByteBuffer b = ByteBuffer.wrap(item);
        add(b.getLong(), b.getLong(), b.getLong(), b.getLong(), sign, folder);
    }

    void add(long w0, long w1, long w2, long w3, int sign, Folder folder) {
        grow();
        int id = items++;
        words[4 * id] = w0;
        words[4 * id + 1] = w1;
        words[4 * id + 2] = w2;
        words[4 * id + 3] = w3;
        long h = ItemHashing.checksum(salt, w0, w1, w2, w3);
        hashes[id] = h;
        signs[id] = (byte) sign;
        long state = h;
        long idx = 0;
        while (idx < produced) {
            folder.fold(idx, w0, w1, w2, w3, h, sign);
            state = ItemHashing.nextState(state);
            idx = ItemHashing.nextIndex(idx, ItemHashing.output(state));
        }
        states[id] = state;
        next[id] = idx;
        enqueue(id);
    }

    /** Appends the next {@code n} symbols of the stream to {@code out}. */
    public void produce(int n, CodedSymbols out) {
        for (int k = 0; k < n; k++) {
            if (produced == base + WINDOW) {
                nextWindow();
            }
            int pos = out.addEmpty();
            long idx = produced;
            int slot = (int) (idx - base);
            int id = head[slot];
            head[slot] = -1;
            while (id >= 0) {
                int following = link[id];
                out.xorItem(
                        pos,
                        words[4 * id],
                        words[4 * id + 1],
                        words[4 * id + 2],
                        words[4 * id + 3],
                        hashes[id],
                        signs[id]);
                long state = ItemHashing.nextState(states[id]);
                states[id] = state;
                next[id] = ItemHashing.nextIndex(idx, ItemHashing.output(state));
                enqueue(id);
                id = following;
            }
            produced++;
        }
    }

    private void enqueue(int id) {
        long idx = next[id];
        if (idx < base + WINDOW) {
            int slot = (int) (idx - base);
            link[id] = head[slot];
            head[slot] = id;
        } else {
            link[id] = far;
            far = id;
        }
    }

    /** Moves the items due in the next window from the far list into its buckets. */
    private void nextWindow() {
        base += WINDOW;
        int id = far;
        far = -1;
        while (id >= 0) {
            int following = link[id];
            enqueue(id);
            id = following;
        }
    }

    private void grow() {
        if (items == hashes.length) {
            int cap = hashes.length * 2;
            words = Arrays.copyOf(words, cap * 4);
            hashes = Arrays.copyOf(hashes, cap);
            states = Arrays.copyOf(states, cap);
            next = Arrays.copyOf(next, cap);
            signs = Arrays.copyOf(signs, cap);
            link = Arrays.copyOf(link, cap);
        }
    }
}
