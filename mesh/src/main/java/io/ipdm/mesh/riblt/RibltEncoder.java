package io.ipdm.mesh.riblt;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Streams the coded symbols of a set of 32-byte items, as many as asked, in order (the rateless
 * part: the stream has no fixed length). Items may be added while streaming: a late item is folded
 * into the symbols already produced through {@link Folder} (the decoder uses this for the items it
 * peels) and into every later symbol.
 *
 * <p>Each item carries a sign (+1 or -1) that is added to a symbol's count. Items wait in a binary
 * min-heap keyed by their next index, so producing {@code m} symbols of {@code n} items costs about
 * {@code n * 2 ln(m) * log(n)} steps.
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
    private int[] heap = new int[16];
    private int items;
    private long produced;

    public RibltEncoder(long salt) {
        this.salt = salt;
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
        heap[id] = id;
        siftUp(id);
    }

    /** Appends the next {@code n} symbols of the stream to {@code out}. */
    public void produce(int n, CodedSymbols out) {
        for (int k = 0; k < n; k++) {
            int pos = out.addEmpty();
            long idx = produced;
            while (items > 0 && next[heap[0]] == idx) {
                int id = heap[0];
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
                siftDown(0);
            }
            produced++;
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
            heap = Arrays.copyOf(heap, cap);
        }
    }

    private void siftUp(int pos) {
        int id = heap[pos];
        long key = next[id];
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            int p = heap[parent];
            if (next[p] <= key) {
                break;
            }
            heap[pos] = p;
            pos = parent;
        }
        heap[pos] = id;
    }

    private void siftDown(int pos) {
        int id = heap[pos];
        long key = next[id];
        int half = items >>> 1;
        while (pos < half) {
            int child = 2 * pos + 1;
            int c = heap[child];
            int right = child + 1;
            if (right < items && next[heap[right]] < next[c]) {
                child = right;
                c = heap[child];
            }
            if (key <= next[c]) {
                break;
            }
            heap[pos] = c;
            pos = child;
        }
        heap[pos] = id;
    }
}
