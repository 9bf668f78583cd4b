package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes HAMT-sharded UnixFS directories (<a
 * href="https://specs.ipfs.tech/unixfs/#hamt-structure-and-parameters">UnixFS HAMT</a>) the way
 * Kubo and Helia lay them out, so the same entries give the same CIDs: fanout 256, names hashed
 * with murmur3-x64-64 ({@link HamtHash}, hash type 0x22), each node's buckets taken from the next 8
 * bits of the hash. A bucket holding one entry is a link named by the bucket's two upper-case hex
 * digits then the entry name; a bucket that two or more names share is a sub-shard, a link named by
 * the two hex digits alone to a shard node one level down. A shard node's Data is {@code {Type:
 * HAMTShard, Data: bitfield, hashType: 0x22, fanout: 256}}, the bitfield being the occupied buckets
 * as a big-endian integer without leading zero bytes (bit i set for bucket i); its links are in
 * bucket order. Sizes (Tsize) are the DAG bytes under each link, as for flat directories.
 *
 * <p>When to shard ({@link #shouldShard}): when the directory's links, counted as each name's UTF-8
 * bytes plus its CID's bytes, come to more than {@link #THRESHOLD_BYTES} (256 KiB), Helia's
 * importer default ({@code shardSplitThresholdBytes}, strategy {@code links-bytes}) and Kubo's
 * estimate. Every entry counts here; Helia's importer counts a subdirectory only once it is
 * written, so for a directory that crosses the threshold only by counting its subdirectories the
 * layouts (and CIDs) differ, both readable by either.
 */
public final class HamtDirectory {
    /** Buckets per shard node. */
    public static final int FANOUT = 256;

    /** Above this estimated link size a directory is sharded (Helia's default, 256 KiB). */
    public static final long THRESHOLD_BYTES = 262_144;

    private static final int BITS = Integer.numberOfTrailingZeros(FANOUT);

    private HamtDirectory() {}

    /** Whether a directory over {@code entries} is written as a HAMT shard. */
    public static boolean shouldShard(List<UnixFsDirectory.Entry> entries) {
        long estimate = 0;
        for (UnixFsDirectory.Entry e : entries) {
            estimate +=
                    e.name().getBytes(StandardCharsets.UTF_8).length
                            + e.root().cid().toBytes().length;
        }
        return estimate > THRESHOLD_BYTES;
    }

    /**
     * A sharded directory's blocks and size.
     *
     * @param blocks the shard nodes, sub-shards before the nodes linking them, the root last
     * @param tsize the DAG bytes under the root: its nodes and every entry's DAG
     */
    public record Sharded(List<Block> blocks, long tsize) {
        public Block root() {
            return blocks.getLast();
        }
    }

    private record Named(UnixFsDirectory.Entry entry, byte[] hash) {}

    /**
     * Shards {@code entries} (any order; names must be unique). Fails naming them when two names
     * hash to the same 64 bits (the HAMT cannot tell them apart).
     */
    public static Sharded build(List<UnixFsDirectory.Entry> entries) {
        Set<String> names = new HashSet<>();
        List<Named> named = new ArrayList<>(entries.size());
        for (UnixFsDirectory.Entry e : entries) {
            if (!names.add(e.name())) {
                throw new LakesException("directory entry '" + e.name() + "' appears twice");
            }
            named.add(new Named(e, HamtHash.of(e.name().getBytes(StandardCharsets.UTF_8))));
        }
        List<Block> out = new ArrayList<>();
        long tsize = node(named, 0, out);
        return new Sharded(out, tsize);
    }

    /** Writes the shard node for {@code items} at {@code level} (after its sub-shards). */
    private static long node(List<Named> items, int level, List<Block> out) {
        List<List<Named>> buckets = new ArrayList<>(FANOUT);
        for (int i = 0; i < FANOUT; i++) {
            buckets.add(null);
        }
        for (Named n : items) {
            int b = HamtHash.bucket(n.hash(), level, BITS);
            if (b < 0) {
                throw new LakesException(
                        "directory entries "
                                + items.stream().map(x -> "'" + x.entry().name() + "'").toList()
                                + " have the same 64-bit murmur3 hash; a HAMT shard cannot hold"
                                + " them: rename one");
            }
            if (buckets.get(b) == null) {
                buckets.set(b, new ArrayList<>(2));
            }
            buckets.get(b).add(n);
        }
        List<DagPb.Link> links = new ArrayList<>();
        BigInteger bitfield = BigInteger.ZERO;
        long size = 0;
        for (int i = 0; i < FANOUT; i++) {
            List<Named> bucket = buckets.get(i);
            if (bucket == null) {
                continue;
            }
            bitfield = bitfield.setBit(i);
            String prefix = String.format(Locale.ROOT, "%02X", i);
            if (bucket.size() == 1) {
                UnixFsDirectory.Entry e = bucket.getFirst().entry();
                links.add(new DagPb.Link(e.root().cid(), prefix + e.name(), e.tsize()));
                size += e.tsize();
            } else {
                long sub = node(bucket, level + 1, out);
                links.add(new DagPb.Link(out.getLast().cid(), prefix, sub));
                size += sub;
            }
        }
        Block b = Block.of(Multicodec.DAG_PB, DagPb.encode(new DagPb.Node(data(bitfield), links)));
        out.add(b);
        return size + b.data().length;
    }

    /** The UnixFS Data of a shard node: Type 5, the bitfield, hashType 0x22, fanout. */
    private static byte[] data(BigInteger bitfield) {
        byte[] bits = bitfield.toByteArray();
        if (bits.length > 1 && bits[0] == 0) {
            // BigInteger's sign byte: the bitfield is unsigned, without leading zero bytes
            bits = java.util.Arrays.copyOfRange(bits, 1, bits.length);
        }
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.write(0x08);
        d.write(UnixFsData.Type.HAMT_SHARD.ordinal());
        d.write(0x12);
        d.writeBytes(Varint.encode(bits.length));
        d.writeBytes(bits);
        d.write(0x28);
        d.writeBytes(Varint.encode(HamtHash.MURMUR3_X64_64));
        d.write(0x30);
        d.writeBytes(Varint.encode(FANOUT));
        return d.toByteArray();
    }
}
