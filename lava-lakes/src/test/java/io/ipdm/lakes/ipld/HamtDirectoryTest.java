package io.ipdm.lakes.ipld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAMT-sharded directories as written by {@code lake put}: over the 256 KiB link estimate a
 * directory becomes a shard (fanout 256, murmur3-x64-64) whose every entry resolves by path, with
 * sub-shards where names share a bucket, minimal big-endian bitfields, link names in bucket order
 * and Tsizes that add up; at or under the estimate it stays flat. Interop with Helia (same CIDs,
 * Helia reading ours) is {@code LakePutHamtHeliaTest}.
 */
class HamtDirectoryTest {
    private static UnixFsDirectory.Entry entry(String name, String content) {
        Block b = Block.of(Multicodec.RAW, content.getBytes(StandardCharsets.UTF_8));
        return new UnixFsDirectory.Entry(name, b, b.data().length);
    }

    @Test
    void twentyThousandEntriesAreShardedAndEachResolvesByPath(@TempDir Path tmp) throws Exception {
        Path big = tmp.resolve("tree/big");
        Files.createDirectories(big);
        Files.writeString(tmp.resolve("tree/top.txt"), "top");
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            Files.writeString(big.resolve(String.format("f-%05d.txt", i)), "content " + i);
        }
        List<Block> blocks = UnixFsDirectory.importTree(tmp.resolve("tree"), 1 << 20);
        Map<Cid, Block> store = new HashMap<>();
        blocks.forEach(b -> store.put(b.cid(), b));
        Cid root = blocks.getLast().cid();
        // the top directory (two entries) stays flat
        DagPb.Node top = DagPb.decode(store.get(root).data());
        assertThat(UnixFsData.decode(top.data()).type()).isEqualTo(UnixFsData.Type.DIRECTORY);
        Cid shard = top.links().getFirst().hash();
        DagPb.Node shardNode = DagPb.decode(store.get(shard).data());
        UnixFsData d = UnixFsData.decode(shardNode.data());
        assertThat(d.type()).isEqualTo(UnixFsData.Type.HAMT_SHARD);
        assertThat(d.fanout()).isEqualTo(256);
        assertThat(d.hashType()).isEqualTo(0x22);
        // 20,000 names fill all 256 buckets: the bitfield is 32 bytes of ones, the links in order
        assertThat(bitfield(shardNode.data())).hasSize(32).containsOnly((byte) 0xFF);
        assertThat(shardNode.links()).hasSize(256);
        for (int i = 0; i < 256; i++) {
            assertThat(shardNode.links().get(i).name()).startsWith(String.format("%02X", i));
        }
        // the link to the shard counts every byte under it
        long under = 0;
        java.util.Set<Cid> seen = new java.util.HashSet<>();
        for (Cid c : io.ipdm.lakes.car.CarExport.plan(store::get, shard)) {
            if (seen.add(c)) {
                under += store.get(c).data().length;
            }
        }
        assertThat(top.links().getFirst().tsize()).isEqualTo(under);
        // every entry by path; some below a sub-shard
        int deepest = 0;
        for (int i = 0; i < n; i++) {
            String name = String.format("f-%05d.txt", i);
            UnixFsPath.Resolved r = UnixFsPath.resolve(store::get, root, List.of("big", name));
            assertThat(r.target())
                    .isEqualTo(
                            Block.of(
                                            Multicodec.RAW,
                                            ("content " + i).getBytes(StandardCharsets.UTF_8))
                                    .cid());
            deepest = Math.max(deepest, r.traversed().size());
        }
        assertThat(deepest).isGreaterThanOrEqualTo(3); // root, shard, a sub-shard
        assertThatThrownBy(() -> UnixFsPath.resolve(store::get, root, List.of("big", "nope")))
                .hasMessage("no 'nope' in /ipfs/" + root + "/big");
        // a sub-shard's bitfield has only its buckets' bits, without leading zero bytes
        for (DagPb.Link l : shardNode.links()) {
            if (l.name().length() == 2) {
                DagPb.Node sub = DagPb.decode(store.get(l.hash()).data());
                byte[] bits = bitfield(sub.data());
                assertThat(bits[0]).isNotZero();
                assertThat(new java.math.BigInteger(1, bits).bitCount())
                        .isEqualTo(sub.links().size());
                break;
            }
        }
    }

    @Test
    void aDirectoryShardsOnlyAboveTheEstimate() {
        // raw CIDv1 sha2-256: 36 bytes; 4096 links of 28-byte names: exactly 256 KiB
        List<UnixFsDirectory.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            entries.add(entry(String.format("name-%023d", i), "c" + i));
        }
        assertThat(entries.getFirst().root().cid().toBytes()).hasSize(36);
        assertThat(entries.getFirst().name()).hasSize(28);
        assertThat(HamtDirectory.shouldShard(entries)).isFalse();
        entries.set(0, entry(String.format("name-%024d", 0), "c0"));
        assertThat(HamtDirectory.shouldShard(entries)).isTrue();
        // a 300-entry directory stays flat
        assertThat(HamtDirectory.shouldShard(entries.subList(0, 300))).isFalse();
    }

    @Test
    void duplicateNamesAreRefused() {
        assertThatThrownBy(() -> HamtDirectory.build(List.of(entry("a", "1"), entry("a", "2"))))
                .isInstanceOf(LakesException.class)
                .hasMessage("directory entry 'a' appears twice");
    }

    /** The Data field (2) of a UnixFS message. */
    private static byte[] bitfield(byte[] unixfs) {
        io.ipdm.multiformats.protobuf.ProtoReader r =
                new io.ipdm.multiformats.protobuf.ProtoReader(unixfs, "UnixFS Data");
        while (r.next()) {
            if (r.field() == 2) {
                return r.bytes();
            }
            r.skip();
        }
        throw new AssertionError("no Data field");
    }
}
