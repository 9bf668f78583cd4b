package io.ipdm.connectors.solana.archive;

import io.ipdm.multiformats.Murmur3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Old Faithful's compact index file format ("compactindexsized", version 1): an immutable hash
 * table from keys to fixed-size values, read with random reads (a local file or HTTP ranges). Old
 * Faithful publishes its per-epoch indexes in it ({@code slot-to-cid}: 8-byte little-endian slot to
 * a 36-byte CID; {@code cid-to-offset-and-size}: CID to a 6-byte offset and 3-byte size).
 *
 * <pre>
 * header:  "compiszd" u32(n = length of the rest) u64(value size) u32(buckets) u8(version = 1)
 *          u8(pairs) (u8(key length) key u8(value length) value)*     all integers little-endian
 * buckets: buckets x { u32(hash domain) u32(entries) u8(hash length = 3) u8(0) u48(file offset) }
 * entries: per bucket, entries x { hash (hash length bytes) value (value size bytes) }, in
 *          Eytzinger (breadth-first binary search tree) order of the hash
 * bucket of a key: u = xxHash64(key); while u < (2^64 - buckets) mod buckets: u = mix(u);
 *          bucket = u mod buckets   (mix: the Murmur3 64-bit finalizer)
 * entry hash: xxHash64(u32le(domain) ++ 28 zero bytes ++ key), low 3 bytes
 * </pre>
 *
 * Keys are not stored: a key that is absent can still match an entry whose 3-byte hash collides,
 * and then reads that entry's value. Callers check what they find.
 */
final class CompactIndex implements AutoCloseable {
    static final byte[] MAGIC = "compiszd".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HASH_LEN = 3;
    static final int TARGET_PER_BUCKET = 10_000;
    private static final int BUCKET_HEADER = 16;
    private static final int MAX_BUCKETS = 1 << 24;
    private static final int MAX_ENTRIES_PER_BUCKET = 1 << 24;

    /** Entries of a bucket's top levels read at once (9 levels of the search tree). */
    private static final int TOP = 511;

    /**
     * An index up to this size (a slot-to-cid index of an epoch is ~17 MB) is read a whole bucket
     * at a time, as every slot of the epoch is looked up; a larger one (cid-to-offset-and-size) a
     * bucket's top levels, then single entries.
     */
    private static final long SMALL = 64 << 20;

    private final ArchiveRange range;
    private final int valueSize;
    private final int buckets;
    private final Map<String, byte[]> metadata;
    private final byte[] bucketHeaders;
    private final Map<Integer, byte[]> tops =
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> e) {
                    return size() > 4096;
                }
            };

    private CompactIndex(
            ArchiveRange range,
            int valueSize,
            int buckets,
            Map<String, byte[]> metadata,
            byte[] bucketHeaders) {
        this.range = range;
        this.valueSize = valueSize;
        this.buckets = buckets;
        this.metadata = metadata;
        this.bucketHeaders = bucketHeaders;
    }

    String name() {
        return range.name();
    }

    int valueSize() {
        return valueSize;
    }

    /**
     * A metadata value ({@code kind}, {@code epoch}, {@code rootCid}, {@code network}), or null.
     */
    byte[] metadata(String key) {
        return metadata.get(key);
    }

    /** The {@code kind} metadata as text, or "" when absent. */
    String kind() {
        byte[] k = metadata.get("kind");
        return k == null ? "" : new String(k, StandardCharsets.UTF_8);
    }

    /** Reads the header and the bucket table; entries are read by lookups. */
    static CompactIndex open(ArchiveRange range) throws IOException {
        String name = range.name();
        long size = range.size();
        byte[] head = range.read(0, 12, "the index header");
        if (head.length >= 8
                && Arrays.equals(
                        head, 0, 8, "rdcecidx".getBytes(StandardCharsets.US_ASCII), 0, 8)) {
            throw new ArchiveException(
                    name
                            + ": an index in Old Faithful's older compactindex format (\"rdcecidx\");"
                            + " this build reads the current one (\"compiszd\"): index the archive"
                            + " again with a current faithful-cli, or drop the index option");
        }
        if (head.length < 12 || !Arrays.equals(head, 0, 8, MAGIC, 0, 8)) {
            throw new ArchiveException(
                    name
                            + ": not an Old Faithful compact index (it does not start with"
                            + " \"compiszd\"); give the archive's slot-to-cid and"
                            + " cid-to-offset-and-size index files, or drop the index option");
        }
        long rest = le(head, 8, 4);
        if (rest < 13 || rest > 1 << 20) {
            throw new ArchiveException(
                    name
                            + ": the index header says it is "
                            + rest
                            + " bytes long, which cannot be");
        }
        if (12 + rest > size) {
            throw new ArchiveException(
                    name
                            + ": the index is truncated: its header is "
                            + (12 + rest)
                            + " bytes, the file has "
                            + size);
        }
        byte[] h = range.read(12, (int) rest, "the index header");
        long valueSize = le(h, 0, 8);
        long buckets = le(h, 8, 4);
        int version = h[12] & 0xFF;
        if (version != VERSION) {
            throw new ArchiveException(
                    name + ": compact index version " + version + "; this build reads version 1");
        }
        if (valueSize < 1 || valueSize > 255 || buckets < 1 || buckets > MAX_BUCKETS) {
            throw new ArchiveException(
                    name
                            + ": the index header is corrupt (value size "
                            + valueSize
                            + ", "
                            + buckets
                            + " buckets)");
        }
        Map<String, byte[]> meta = new LinkedHashMap<>();
        int p = 13;
        int pairs = p < h.length ? h[p++] & 0xFF : 0;
        for (int i = 0; i < pairs; i++) {
            byte[] key = lengthPrefixed(h, p, name);
            p += 1 + key.length;
            byte[] value = lengthPrefixed(h, p, name);
            p += 1 + value.length;
            meta.put(new String(key, StandardCharsets.UTF_8), value);
        }
        long tableEnd = 12 + rest + buckets * BUCKET_HEADER;
        if (tableEnd > size) {
            throw new ArchiveException(
                    name
                            + ": the index is truncated: its "
                            + buckets
                            + " bucket headers end at offset "
                            + tableEnd
                            + ", the file has "
                            + size
                            + " bytes");
        }
        byte[] table =
                range.read(12 + rest, (int) (buckets * BUCKET_HEADER), "the index bucket table");
        return new CompactIndex(range, (int) valueSize, (int) buckets, meta, table);
    }

    private static byte[] lengthPrefixed(byte[] h, int p, String name) {
        if (p >= h.length || p + 1 + (h[p] & 0xFF) > h.length) {
            throw new ArchiveException(name + ": the index header's metadata is cut short");
        }
        return Arrays.copyOfRange(h, p + 1, p + 1 + (h[p] & 0xFF));
    }

    /** The value stored for {@code key}, or null when no entry's hash matches. */
    synchronized byte[] lookup(byte[] key) throws IOException {
        int b = bucketOf(key, buckets);
        int at = b * BUCKET_HEADER;
        long domain = le(bucketHeaders, at, 4);
        long entries = le(bucketHeaders, at + 4, 4);
        int hashLen = bucketHeaders[at + 8] & 0xFF;
        long offset = le(bucketHeaders, at + 10, 6);
        if (entries == 0) {
            return null;
        }
        int stride = HASH_LEN + valueSize;
        if (hashLen == HASH_LEN
                && entries <= MAX_ENTRIES_PER_BUCKET
                && offset + entries * stride > range.size()) {
            throw new ArchiveException(
                    name()
                            + ": the index is truncated: the entries of bucket "
                            + b
                            + " end at offset "
                            + (offset + entries * stride)
                            + ", the file has "
                            + range.size()
                            + " bytes");
        }
        if (hashLen != HASH_LEN || entries > MAX_ENTRIES_PER_BUCKET) {
            throw new ArchiveException(
                    name()
                            + ": bucket "
                            + b
                            + " of the index is corrupt (hash length "
                            + hashLen
                            + ", "
                            + entries
                            + " entries at offset "
                            + offset
                            + ")");
        }
        long target = entryHash((int) domain, key);
        int n = (int) entries;
        int cached = range.size() <= SMALL ? n : Math.min(n, TOP);
        byte[] top = tops.get(b);
        if (top == null) {
            top = range.read(offset, cached * stride, "bucket " + b + " of the index");
            tops.put(b, top);
        }
        // Eytzinger search: node i has children 2i+1 and 2i+2
        int i = 0;
        while (i < n) {
            byte[] e;
            int eo;
            if (i < cached) {
                e = top;
                eo = i * stride;
            } else {
                e = range.read(offset + (long) i * stride, stride, "bucket " + b + " of the index");
                eo = 0;
            }
            long hash = le(e, eo, HASH_LEN);
            if (hash == target) {
                return Arrays.copyOfRange(e, eo + HASH_LEN, eo + stride);
            }
            i = hash < target ? 2 * i + 2 : 2 * i + 1;
        }
        return null;
    }

    static int bucketOf(byte[] key, int buckets) {
        long u = XxHash64.hash(key);
        long n = buckets;
        long r = Long.remainderUnsigned(-n, n);
        while (Long.compareUnsigned(u, r) < 0) {
            u = Murmur3.fmix64(u);
        }
        return (int) Long.remainderUnsigned(u, n);
    }

    static long entryHash(int domain, byte[] key) {
        byte[] prefix = new byte[32];
        prefix[0] = (byte) domain;
        prefix[1] = (byte) (domain >>> 8);
        prefix[2] = (byte) (domain >>> 16);
        prefix[3] = (byte) (domain >>> 24);
        return XxHash64.hash(prefix, key) & ((1L << (8 * HASH_LEN)) - 1);
    }

    static long le(byte[] b, int off, int len) {
        long v = 0;
        for (int i = len - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void putLe(ByteArrayOutputStream out, long v, int len) {
        for (int i = 0; i < len; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    @Override
    public void close() throws IOException {
        range.close();
    }

    /**
     * Writes an index of {@code entries} (key, value pairs; values of {@code valueSize} bytes) with
     * the given metadata, as Old Faithful's builder lays it out: about 10,000 entries per bucket,
     * each bucket's hash domain the first from 0 under which its entry hashes do not collide.
     */
    static void write(Path out, int valueSize, Map<String, byte[]> metadata, List<byte[][]> entries)
            throws IOException {
        int buckets = Math.max(1, (entries.size() + TARGET_PER_BUCKET - 1) / TARGET_PER_BUCKET);
        List<List<byte[][]>> byBucket = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            byBucket.add(new ArrayList<>());
        }
        for (byte[][] kv : entries) {
            if (kv[1].length != valueSize) {
                throw new IllegalArgumentException("value of " + kv[1].length + " bytes");
            }
            byBucket.get(bucketOf(kv[0], buckets)).add(kv);
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        putLe(rest, valueSize, 8);
        putLe(rest, buckets, 4);
        rest.write(VERSION);
        rest.write(metadata.size());
        for (Map.Entry<String, byte[]> m : metadata.entrySet()) {
            byte[] k = m.getKey().getBytes(StandardCharsets.UTF_8);
            rest.write(k.length);
            rest.write(k);
            rest.write(m.getValue().length);
            rest.write(m.getValue());
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(MAGIC);
        putLe(file, rest.size(), 4);
        rest.writeTo(file);
        long offset = file.size() + (long) buckets * BUCKET_HEADER;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int stride = HASH_LEN + valueSize;
        for (List<byte[][]> bucket : byBucket) {
            int domain = 0;
            long[] hashes;
            while (true) {
                hashes = new long[bucket.size()];
                Set<Long> seen = new HashSet<>();
                boolean unique = true;
                for (int i = 0; i < hashes.length && unique; i++) {
                    hashes[i] = entryHash(domain, bucket.get(i)[0]);
                    unique = seen.add(hashes[i]);
                }
                if (unique) {
                    break;
                }
                domain++;
            }
            Integer[] order = new Integer[bucket.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            final long[] hs = hashes;
            Arrays.sort(order, Comparator.comparingLong(i -> hs[i]));
            Integer[] layout = new Integer[order.length];
            eytzinger(order, layout, 0, 1);
            putLe(file, domain, 4);
            putLe(file, bucket.size(), 4);
            file.write(HASH_LEN);
            file.write(0);
            putLe(file, offset + body.size(), 6);
            for (Integer i : layout) {
                putLe(body, hs[i], HASH_LEN);
                body.write(bucket.get(i)[1]);
            }
            assert body.size() % stride == 0;
        }
        body.writeTo(file);
        Files.write(out, file.toByteArray());
    }

    /** Lays sorted {@code in} out breadth-first: out[k-1] is node k of the implicit tree. */
    private static int eytzinger(Integer[] in, Integer[] out, int i, int k) {
        if (k <= in.length) {
            i = eytzinger(in, out, i, 2 * k);
            out[k - 1] = in[i++];
            i = eytzinger(in, out, i, 2 * k + 1);
        }
        return i;
    }
}
