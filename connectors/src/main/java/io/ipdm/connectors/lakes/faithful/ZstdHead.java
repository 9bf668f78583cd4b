package io.ipdm.connectors.lakes.faithful;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The first byte a zstd frame (RFC 8878) inflates to, read without inflating the frame: for a
 * column that needs only the first byte of a transaction's metadata (its status, {@link
 * TransactionMeta#status}). Inflating a whole metadata frame costs about as much as the rest of the
 * transaction's decode together, most of it in building the frame's entropy tables and decoding
 * every literal and sequence; the first byte needs only the literals' Huffman weights.
 *
 * <p>Output byte 0 is always literal 0: a frame's first sequence cannot start with a match, as
 * there is nothing before it to copy from. So the first byte is read from the first block: a raw or
 * RLE block's first byte; in a compressed block, the raw or RLE literals' first byte, or the first
 * symbol of the first Huffman stream (its code found from the weights, the table never built).
 *
 * <p>Anything this reader does not follow (a dictionary, an empty first block or literals section,
 * treeless literals, a malformed or truncated frame) gives {@link #UNKNOWN}: the caller then
 * inflates the whole frame, which says what is wrong with a malformed one. The rest of the frame is
 * not checked (the node's CID covers its bytes).
 */
final class ZstdHead {
    /** The first byte could not be read without inflating the frame. */
    static final int UNKNOWN = -1;

    private static final int MAGIC = 0xFD2FB528;

    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Huffman weights are at most this (the reference decoder's HUF_TABLELOG_MAX). */
    private static final int MAX_WEIGHT = 12;

    /** The accuracy of the FSE table that compresses Huffman weights is at most this. */
    private static final int MAX_WEIGHT_ACCURACY = 6;

    // scratch, reused from one frame to the next (one reader per thread)
    private final int[] weights = new int[256];
    private final int[] counts = new int[MAX_WEIGHT + 1];
    private final int[] next = new int[MAX_WEIGHT + 1];
    private final int[] rankCount = new int[MAX_WEIGHT + 1];
    private final int[] table = new int[1 << MAX_WEIGHT_ACCURACY];
    private int maxBits;
    private final BackwardBits bits = new BackwardBits();

    /** The first byte {@code buf[offset, offset + length)} inflates to, or {@link #UNKNOWN}. */
    int firstByte(byte[] buf, int offset, int length) {
        int end = offset + length;
        int p = offset;
        if (length < 9 || le32(buf, p) != MAGIC) {
            return UNKNOWN;
        }
        int descriptor = buf[p + 4] & 0xff;
        int sizeFlag = descriptor >>> 6;
        boolean singleSegment = (descriptor & 0x20) != 0;
        if ((descriptor & 0x08) != 0 || (descriptor & 0x03) != 0) {
            return UNKNOWN; // reserved bit set, or a dictionary this reader does not have
        }
        p += 5 + (singleSegment ? 0 : 1);
        int sizeBytes =
                switch (sizeFlag) {
                    case 0 -> singleSegment ? 1 : 0;
                    case 1 -> 2;
                    case 2 -> 4;
                    default -> 8;
                };
        if (p + sizeBytes + 4 > end) {
            return UNKNOWN; // shorter than its header, a block header and a byte
        }
        if (sizeBytes > 0 && zero(buf, p, sizeBytes, sizeFlag == 1)) {
            return UNKNOWN; // the frame says it inflates to nothing
        }
        p += sizeBytes;
        int header = le24(buf, p);
        int type = (header >>> 1) & 3;
        int blockSize = header >>> 3;
        p += 3;
        if (blockSize == 0) {
            return UNKNOWN;
        }
        return switch (type) {
            case 0, 1 -> buf[p] & 0xff; // raw: its bytes; RLE: one byte, repeated
            case 2 -> p + blockSize <= end ? literal0(buf, p, p + blockSize) : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    /** Whether a frame content size field is zero (the two-byte form counts from 256). */
    private static boolean zero(byte[] buf, int at, int n, boolean from256) {
        if (from256) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[at + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The first literal of the compressed block {@code buf[p, end)}. */
    private int literal0(byte[] buf, int p, int end) {
        int h0 = buf[p] & 0xff;
        int type = h0 & 3;
        int format = (h0 >>> 2) & 3;
        if (type == 0 || type == 1) { // raw or RLE literals: the first one follows the header
            int headerBytes;
            int size;
            if ((format & 1) == 0) {
                headerBytes = 1;
                size = h0 >>> 3;
            } else if (format == 1) {
                headerBytes = 2;
                size = p + 1 < end ? (h0 >>> 4) + ((buf[p + 1] & 0xff) << 4) : 0;
            } else {
                headerBytes = 3;
                size = p + 2 < end ? (h0 >>> 4) + (le16(buf, p + 1) << 4) : 0;
            }
            return size > 0 && p + headerBytes < end ? buf[p + headerBytes] & 0xff : UNKNOWN;
        }
        if (type == 3) {
            return UNKNOWN; // treeless: the previous block's table, and there is none
        }
        int headerBytes = format <= 1 ? 3 : format == 2 ? 4 : 5;
        if (p + headerBytes > end) {
            return UNKNOWN;
        }
        long h = 0;
        for (int i = headerBytes - 1; i >= 0; i--) {
            h = (h << 8) | (buf[p + i] & 0xff);
        }
        int sizeBits = format <= 1 ? 10 : format == 2 ? 14 : 18;
        int mask = (1 << sizeBits) - 1;
        int regenerated = (int) (h >>> 4) & mask;
        int compressed = (int) (h >>> (4 + sizeBits)) & mask;
        int at = p + headerBytes;
        int literalsEnd = at + compressed;
        if (regenerated == 0 || literalsEnd > end) {
            return UNKNOWN;
        }
        int tree = weights(buf, at, literalsEnd);
        if (tree < 0) {
            return UNKNOWN;
        }
        int symbols = tree & 0x1ff;
        int streamStart = at + (tree >>> 9);
        int streamEnd = literalsEnd;
        if (format != 0) { // four streams: a jump table of the first three streams' sizes
            if (streamStart + 6 > literalsEnd) {
                return UNKNOWN;
            }
            streamEnd = streamStart + 6 + le16(buf, streamStart);
            streamStart += 6;
            if (streamEnd > literalsEnd) {
                return UNKNOWN;
            }
        }
        return firstSymbol(buf, streamStart, streamEnd, symbols);
    }

    /**
     * Reads a Huffman tree description at {@code at} into {@link #weights} (the last one deduced)
     * and {@link #rankCount} (symbols per weight); returns {@code size << 9 | symbols} (its size in
     * bytes and the number of symbols), or -1.
     */
    private int weights(byte[] buf, int at, int end) {
        if (at >= end) {
            return -1;
        }
        int[] weights = this.weights;
        int[] rankCount = this.rankCount;
        java.util.Arrays.fill(rankCount, 0);
        int head = buf[at] & 0xff;
        int given;
        int size;
        if (head >= 128) { // direct: four bits per weight
            given = head - 127;
            size = 1 + (given + 1) / 2;
            if (at + size > end) {
                return -1;
            }
            for (int i = 0; i < given; i++) {
                int b = buf[at + 1 + i / 2] & 0xff;
                int w = (i & 1) == 0 ? b >>> 4 : b & 15;
                if (w > MAX_WEIGHT) {
                    return -1;
                }
                weights[i] = w;
                rankCount[w]++;
            }
        } else {
            size = 1 + head;
            if (at + size > end) {
                return -1;
            }
            given = fseWeights(buf, at + 1, at + size);
            if (given < 0) {
                return -1;
            }
        }
        int total = 0;
        for (int w = 1; w <= MAX_WEIGHT; w++) {
            total += rankCount[w] << (w - 1);
        }
        if (total == 0) {
            return -1;
        }
        int maxBits = 32 - Integer.numberOfLeadingZeros(total);
        int rest = (1 << maxBits) - total;
        if (maxBits > MAX_WEIGHT || Integer.bitCount(rest) != 1) {
            return -1;
        }
        int last = 32 - Integer.numberOfLeadingZeros(rest);
        weights[given] = last;
        rankCount[last]++;
        this.maxBits = maxBits;
        return size << 9 | (given + 1);
    }

    /**
     * The first symbol of the Huffman stream {@code buf[start, end)} (read backwards from its last
     * byte's marker bit). Codes are canonical: read as the top {@code maxBits} bits of the stream,
     * symbols take ranges of {@code 2^(weight-1)} values, by weight and then symbol, ascending.
     */
    private int firstSymbol(byte[] buf, int start, int end, int symbols) {
        if (start >= end || buf[end - 1] == 0) {
            return UNKNOWN;
        }
        BackwardBits bits = this.bits.of(buf, start, end);
        int value = bits.read(maxBits);
        if (bits.overflow()) {
            return UNKNOWN; // the stream has fewer bits than its first code
        }
        // the weight whose range holds the value, then the symbol among those of that weight
        int from = 0;
        for (int w = 1; w <= MAX_WEIGHT; w++) {
            int span = rankCount[w] << (w - 1);
            if (value < from + span) {
                int nth = (value - from) >>> (w - 1);
                for (int s = 0; s < symbols; s++) {
                    if (weights[s] == w && nth-- == 0) {
                        return s;
                    }
                }
            }
            from += span;
        }
        return UNKNOWN;
    }

    /**
     * Huffman weights compressed with FSE ({@code buf[at, end)}: a table description, then a
     * backward bitstream of two interleaved states) into {@link #weights} and {@link #rankCount};
     * returns how many were decoded, or -1.
     */
    private int fseWeights(byte[] buf, int at, int end) {
        // the table description: normalized counts in a forward little-endian bitstream
        long bitPos = (long) at * 8;
        int accuracy = (int) forwardBits(buf, bitPos, 4) + 5;
        bitPos += 4;
        if (accuracy > MAX_WEIGHT_ACCURACY) {
            return -1;
        }
        int tableSize = 1 << accuracy;
        int[] counts = this.counts;
        int remaining = tableSize + 1;
        int threshold = tableSize;
        int nbBits = accuracy + 1;
        int symbol = 0;
        boolean previousZero = false;
        while (remaining > 1 && symbol <= MAX_WEIGHT) {
            if (previousZero) {
                int first = symbol;
                int repeat;
                do {
                    repeat = (int) forwardBits(buf, bitPos, 2);
                    bitPos += 2;
                    symbol += repeat;
                } while (repeat == 3 && symbol <= MAX_WEIGHT);
                if (symbol > MAX_WEIGHT) {
                    return -1; // a weight above the largest there can be
                }
                for (int z = first; z < symbol; z++) {
                    counts[z] = 0;
                }
            }
            int max = (2 * threshold - 1) - remaining;
            int peek = (int) forwardBits(buf, bitPos, nbBits);
            int count;
            if ((peek & (threshold - 1)) < max) {
                count = peek & (threshold - 1);
                bitPos += nbBits - 1;
            } else {
                count = peek & (2 * threshold - 1);
                if (count >= threshold) {
                    count -= max;
                }
                bitPos += nbBits;
            }
            count--;
            remaining -= Math.abs(count);
            counts[symbol++] = count;
            previousZero = count == 0;
            while (remaining < threshold && threshold > 1) {
                nbBits--;
                threshold >>= 1;
            }
        }
        int headerEnd = (int) ((bitPos + 7) >>> 3);
        if (remaining != 1 || headerEnd >= end || buf[end - 1] == 0) {
            return -1; // (counts for weights above the largest there can be included)
        }
        // the decoding table, one int per state: symbol | bits << 8 | base << 16; symbols spread
        // over the states, "less than one" ones at the top
        int[] table = this.table;
        int[] next = this.next;
        int high = tableSize - 1;
        for (int s = 0; s < symbol; s++) {
            if (counts[s] == -1) {
                table[high--] = s;
                next[s] = 1;
            } else {
                next[s] = counts[s];
            }
        }
        int step = (tableSize >>> 1) + (tableSize >>> 3) + 3;
        int position = 0;
        for (int s = 0; s < symbol; s++) {
            for (int i = 0; i < counts[s]; i++) {
                table[position] = s;
                do {
                    position = (position + step) & (tableSize - 1);
                } while (position > high);
            }
        }
        if (position != 0) {
            return -1;
        }
        for (int u = 0; u < tableSize; u++) {
            int s = table[u];
            int state = next[s]++;
            int bits = accuracy - (31 - Integer.numberOfLeadingZeros(state));
            table[u] = s | bits << 8 | ((state << bits) - tableSize) << 16;
        }
        // the weights: two states taking turns until the stream is read past its start
        int[] weights = this.weights;
        int[] rankCount = this.rankCount;
        BackwardBits in = bits.of(buf, headerEnd, end);
        int state1 = in.read(accuracy);
        int state2 = in.read(accuracy);
        int n = 0;
        while (n <= 253) {
            int e = table[state1];
            weights[n++] = e & 0xff;
            rankCount[e & 0xff]++;
            state1 = (e >>> 16) + in.read((e >>> 8) & 0xff);
            if (in.overflow()) {
                e = table[state2];
                weights[n++] = e & 0xff;
                rankCount[e & 0xff]++;
                return n;
            }
            if (n > 253) {
                break;
            }
            e = table[state2];
            weights[n++] = e & 0xff;
            rankCount[e & 0xff]++;
            state2 = (e >>> 16) + in.read((e >>> 8) & 0xff);
            if (in.overflow()) {
                e = table[state1];
                weights[n++] = e & 0xff;
                rankCount[e & 0xff]++;
                return n;
            }
        }
        return -1; // more weights than symbols
    }

    /**
     * {@code n} (at most 25) bits of a forward little-endian bitstream at bit {@code bitPos}. Bits
     * past the description are whatever follows it in the buffer (zero at its end): only a
     * description that runs past its end reads them, and that one is refused.
     */
    private static long forwardBits(byte[] buf, long bitPos, int n) {
        int first = (int) (bitPos >>> 3);
        long v;
        if (first + 8 <= buf.length) {
            v = (long) LONG.get(buf, first);
        } else {
            v = 0;
            for (int i = Math.min(buf.length, first + 5) - 1; i >= first; i--) {
                v = (v << 8) | (buf[i] & 0xff);
            }
        }
        return (v >>> (bitPos & 7)) & ((1L << n) - 1);
    }

    /**
     * A zstd backward bitstream: starts below the highest set bit of its last byte and is read
     * towards its first byte, most significant bit first; reading past the start gives zeros and
     * marks it overflowed, as the reference decoder does. Bits are read from a 64-bit window of the
     * stream, moved down when a read reaches below it.
     */
    private static final class BackwardBits {
        private byte[] buf;
        private int start;
        private int end;
        private int left; // bits not read yet, below the marker
        private long window; // the stream's bytes from windowAt on, little-endian
        private int windowLow = Integer.MAX_VALUE; // the stream bit the window starts at

        /** Positions it at the end of {@code buf[start, end)}, whose last byte is not zero. */
        BackwardBits of(byte[] buf, int start, int end) {
            this.buf = buf;
            this.start = start;
            this.end = end;
            int last = buf[end - 1] & 0xff;
            this.left = 8 * (end - 1 - start) + (31 - Integer.numberOfLeadingZeros(last));
            this.windowLow = Integer.MAX_VALUE;
            return this;
        }

        /** The next {@code n} bits (at most 16). */
        int read(int n) {
            int from = left - n;
            left = from;
            if (from >= windowLow) {
                return (int) (window >>> (from - windowLow)) & ((1 << n) - 1);
            }
            if (from < 0) {
                // past the start: the bits that are left, then zeros
                int have = Math.max(0, from + n);
                return have == 0 ? 0 : (readAt(0, have) << (n - have));
            }
            return readAt(from, n);
        }

        /** Moves the window so it holds bits {@code [from, from + n)}, and reads them. */
        private int readAt(int from, int n) {
            // five bytes below the read's first byte: the read's top is within the window
            int firstByte = Math.max(0, (from >>> 3) - 5);
            int at = start + firstByte;
            if (at + 8 <= buf.length) {
                window = (long) LONG.get(buf, at); // bytes past the stream land above its marker
            } else {
                long v = 0;
                for (int i = Math.min(end, at + 8) - 1; i >= at; i--) {
                    v = (v << 8) | (buf[i] & 0xff);
                }
                window = v;
            }
            windowLow = 8 * firstByte;
            return (int) (window >>> (from - windowLow)) & ((1 << n) - 1);
        }

        boolean overflow() {
            return left < 0;
        }
    }

    private static int le16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    private static int le24(byte[] b, int p) {
        return le16(b, p) | (b[p + 2] & 0xff) << 16;
    }

    private static int le32(byte[] b, int p) {
        return le24(b, p) | (b[p + 3] & 0xff) << 24;
    }
}
