package io.ipdm.lakes.car;

import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.Varint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The CARv2 {@code car-multihash-index-sorted} index (multicodec 0x0401), and reading of the older
 * {@code car-index-sorted} (0x0400). Offsets point at sections, relative to the CARv1 payload.
 *
 * <pre>
 * varint(0x0401) count:u32le { code:u64le  sorted-index }*
 * sorted-index = buckets:u32le { width:u32le size:u64le { digest[width-8] offset:u64le }* }*
 * </pre>
 *
 * Buckets and entries are sorted (by code, digest width, digest bytes). Identity CIDs are not
 * indexed, as in go-car.
 */
public final class CarIndex {
    public static final int MULTIHASH_INDEX_SORTED = 0x0401;
    public static final int INDEX_SORTED = 0x0400;

    /** One indexed block. */
    public record Entry(int code, byte[] digest, long offset) {}

    private static final Comparator<Entry> ORDER =
            Comparator.comparingInt(Entry::code)
                    .thenComparingInt(e -> e.digest().length)
                    .thenComparing(Entry::digest, Arrays::compareUnsigned);

    private final Entry[] entries;
    // car-index-sorted keys on digests alone; its entries carry code -1
    private final boolean digestOnly;

    private CarIndex(List<Entry> entries, boolean digestOnly) {
        this.digestOnly = digestOnly;
        this.entries = entries.toArray(Entry[]::new);
        Arrays.sort(this.entries, ORDER);
    }

    public static CarIndex of(List<Entry> entries) {
        List<Entry> kept = new ArrayList<>();
        for (Entry e : entries) {
            if (e.code() != Multihash.IDENTITY) {
                kept.add(e);
            }
        }
        return new CarIndex(kept, false);
    }

    public int size() {
        return entries.length;
    }

    /** Offset of the section holding {@code mh}, or -1. */
    public long offsetOf(Multihash mh) {
        int i =
                Arrays.binarySearch(
                        entries, new Entry(digestOnly ? -1 : mh.code(), mh.digest(), 0), ORDER);
        return i >= 0 ? entries[i].offset() : -1;
    }

    public byte[] encode() {
        if (digestOnly) {
            throw new CarException(
                    "a car-index-sorted index is read-only here; rebuild it as car-multihash-index-sorted");
        }
        TreeMap<Integer, TreeMap<Integer, List<Entry>>> byCode = new TreeMap<>();
        int size = Varint.encodedLength(MULTIHASH_INDEX_SORTED) + 4;
        for (Entry e : entries) {
            byCode.computeIfAbsent(e.code(), c -> new TreeMap<>())
                    .computeIfAbsent(e.digest().length, w -> new ArrayList<>())
                    .add(e);
            size += e.digest().length + 8;
        }
        for (TreeMap<Integer, List<Entry>> widths : byCode.values()) {
            size += 8 + 4 + widths.size() * 12;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(Varint.encode(MULTIHASH_INDEX_SORTED));
        buf.putInt(byCode.size());
        for (var code : byCode.entrySet()) {
            buf.putLong(code.getKey());
            buf.putInt(code.getValue().size());
            for (var width : code.getValue().entrySet()) {
                buf.putInt(width.getKey() + 8);
                buf.putLong((long) width.getValue().size() * (width.getKey() + 8));
                for (Entry e : width.getValue()) {
                    buf.put(e.digest()).putLong(e.offset());
                }
            }
        }
        return buf.array();
    }

    public static CarIndex decode(byte[] bytes) {
        try {
            Varint.Decoded codec = Varint.read(bytes, 0);
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            buf.position(codec.length());
            List<Entry> out = new ArrayList<>();
            if (codec.value() == MULTIHASH_INDEX_SORTED) {
                int codes = buf.getInt();
                for (int i = 0; i < codes; i++) {
                    long code = buf.getLong();
                    readSorted(buf, (int) code, out);
                }
            } else if (codec.value() == INDEX_SORTED) {
                readSorted(buf, -1, out);
            } else {
                throw new CarException(
                        "unsupported CAR index codec 0x" + Long.toHexString(codec.value()));
            }
            if (buf.hasRemaining()) {
                throw new CarException("invalid CAR index: " + buf.remaining() + " trailing bytes");
            }
            return new CarIndex(out, codec.value() == INDEX_SORTED);
        } catch (java.nio.BufferUnderflowException | MultiformatException e) {
            throw new CarException("invalid CAR index: truncated or malformed");
        }
    }

    private static void readSorted(ByteBuffer buf, int code, List<Entry> out) {
        int buckets = buf.getInt();
        for (int b = 0; b < buckets; b++) {
            int width = buf.getInt();
            long size = buf.getLong();
            if (width <= 8 || size < 0 || size % width != 0 || size > buf.remaining()) {
                throw new CarException(
                        "invalid CAR index: bucket of width " + width + " and size " + size);
            }
            for (long n = size / width; n > 0; n--) {
                byte[] key = new byte[width - 8];
                buf.get(key);
                long offset = buf.getLong();
                out.add(new Entry(code, key, offset));
            }
        }
    }
}
