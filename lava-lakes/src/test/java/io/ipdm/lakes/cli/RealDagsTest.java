package io.ipdm.lakes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real CARs from ../shared/data through import, export and re-import. */
class RealDagsTest {
    static final String SAMPLE_ROOT =
            "bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy";

    /** Every block of a CAR, verified, by CID (first copy wins, as a lake keeps it). */
    static Map<Cid, byte[]> blocks(InputStream in) throws IOException {
        Map<Cid, byte[]> out = new LinkedHashMap<>();
        try (CarReader r = CarReader.open(in)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                out.putIfAbsent(s.block().cid(), s.block().data());
            }
        }
        return out;
    }

    static Map<Cid, byte[]> blocks(Path car) throws IOException {
        try (InputStream in = Files.newInputStream(car)) {
            return blocks(in);
        }
    }

    static boolean identity(Cid c) {
        return c.multihash().code() == 0;
    }

    @Test
    void lotusChainDagWithNonUtf8StringsExportsWhole(@TempDir Path dir) throws Exception {
        Path car = SharedData.dir("ipld/go-car/v2-testdata/sample-v1.car");
        Map<Cid, byte[]> original = blocks(car);
        assertThat(original).hasSize(1049);
        try (LakeCommands lake = LakeCommands.open(dir.resolve("a"), StorageConfig.defaults())) {
            LakeCommands.Imported imported = lake.importCar(car);
            assertThat(imported.roots()).containsExactly(Cid.parse(SAMPLE_ROOT));
            assertThat(imported.blocks()).isEqualTo(1049);
            // the root block has 4 links; stat parses them without decoding its strings
            assertThat(lake.stat(SAMPLE_ROOT).links()).isEqualTo(4);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long n = lake.exportCar(SAMPLE_ROOT, out);
            Map<Cid, byte[]> exported = blocks(new ByteArrayInputStream(out.toByteArray()));
            // identity blocks are inside their CIDs: never in an export (trustless gateway spec)
            assertThat(exported.keySet()).noneMatch(RealDagsTest::identity);
            assertThat(exported).hasSize((int) n);
            // every non-identity block of the CAR is reachable from its root
            List<Cid> expected = original.keySet().stream().filter(c -> !identity(c)).toList();
            assertThat(exported.keySet().stream().filter(c -> !identity(c)))
                    .containsExactlyInAnyOrderElementsOf(expected);
            exported.forEach((c, b) -> assertThat(b).isEqualTo(original.get(c)));
            try (CarReader r = CarReader.open(new ByteArrayInputStream(out.toByteArray()))) {
                assertThat(r.header().roots()).containsExactly(Cid.parse(SAMPLE_ROOT));
            }

            // gc walks the same links: every stored block is live, the identity ones not stored
            var gc = lake.gc().freed();
            assertThat(gc.freedBlocks()).isZero();
            assertThat(gc.liveBlocks()).isEqualTo(1043);

            Path again = Files.write(dir.resolve("again.car"), out.toByteArray());
            try (LakeCommands other =
                    LakeCommands.open(dir.resolve("b"), StorageConfig.defaults())) {
                assertThat(other.importCar(again).roots()).containsExactly(Cid.parse(SAMPLE_ROOT));
                ByteArrayOutputStream second = new ByteArrayOutputStream();
                assertThat(other.exportCar(SAMPLE_ROOT, second)).isEqualTo(n);
                assertThat(second.toByteArray()).isEqualTo(out.toByteArray());
            }
        }
    }

    @Test
    void wrappedV2AndUnixFsCarsRoundTrip(@TempDir Path dir) throws Exception {
        record Case(String path, String root, int blocks) {}
        List<Case> cases =
                List.of(
                        new Case(
                                "ipld/go-car/v2-testdata/sample-wrapped-v2.car", SAMPLE_ROOT, 1049),
                        new Case(
                                "ipld/go-car/cmd-testdata/simple-unixfs.car",
                                "QmPLPpnptHc1DMhJAWNYMTqBTqqRQNy5WsY7F9pZgsBfMT",
                                22),
                        new Case(
                                "ipld/ipld-spec-car-fixtures/carv2-basic/carv2-basic.car",
                                "QmfEoLyB5NndqeKieExd1rtJzTduQUPEV8TwAYcUiy3H5Z",
                                5),
                        new Case(
                                "ipld/go-car/v2-testdata/sample-unixfs-v2.car",
                                "bafybeiakgrehdxxgy5kca72znt6jllrj2sqkehtqeojfuxlbeuqg3vfkwq",
                                3));
        int i = 0;
        for (Case c : cases) {
            Path car = SharedData.dir(c.path());
            Map<Cid, byte[]> original = blocks(car);
            try (LakeCommands lake =
                    LakeCommands.open(dir.resolve("lake" + i++), StorageConfig.defaults())) {
                assertThat(lake.importCar(car).blocks()).as(c.path()).isEqualTo(c.blocks());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                lake.exportCar(c.root(), out);
                Map<Cid, byte[]> exported = blocks(new ByteArrayInputStream(out.toByteArray()));
                assertThat(exported.keySet()).noneMatch(RealDagsTest::identity);
                // identity blocks are inside their CIDs: never in an export (trustless gateway
                // spec)
                assertThat(exported.keySet()).noneMatch(RealDagsTest::identity);
                assertThat(exported.keySet().stream().filter(x -> !identity(x)))
                        .as(c.path())
                        .containsExactlyInAnyOrderElementsOf(
                                original.keySet().stream().filter(x -> !identity(x)).toList());
                exported.forEach((k, b) -> assertThat(b).isEqualTo(original.get(k)));
            }
        }
    }

    @Test
    void aFailingExportWritesNothing(@TempDir Path dir) throws Exception {
        Path car = SharedData.dir("ipld/go-car/v2-testdata/sample-v1.car");
        try (LakeCommands lake = LakeCommands.open(dir, StorageConfig.defaults())) {
            lake.importCar(car);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            lake.exportCar(SAMPLE_ROOT, whole);
            // lose a block deep in the DAG: the 500th section of the exported CAR
            Cid lost;
            try (CarReader r = CarReader.open(new ByteArrayInputStream(whole.toByteArray()))) {
                for (int k = 0; k < 499; k++) {
                    r.next();
                }
                lost = r.next().block().cid();
            }
            lake.store().delete(lost);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> lake.exportCar(SAMPLE_ROOT, out))
                    .isInstanceOf(LakesException.class)
                    .hasMessage(
                            "export of "
                                    + SAMPLE_ROOT
                                    + " stopped after reading 499 blocks, nothing written: block "
                                    + lost
                                    + " of the DAG under "
                                    + SAMPLE_ROOT
                                    + " is missing");
            assertThat(out.size()).isZero();

            // a block that is not dag-cbor under a dag-cbor CID: named, nothing written
            Block bad = Block.of(Multicodec.DAG_CBOR, new byte[] {(byte) 0xA1, 0x01, 0x02});
            Block root = Block.of(Multicodec.DAG_CBOR, DagCbor.encode(Map.of("x", bad.cid())));
            lake.store().putAll(List.of(bad, root));
            assertThatThrownBy(() -> lake.exportCar(root.cid().toString(), out))
                    .isInstanceOf(LakesException.class)
                    .hasMessage(
                            "export of "
                                    + root.cid()
                                    + " stopped after reading 2 blocks, nothing written: block "
                                    + bad.cid()
                                    + " of the DAG under "
                                    + root.cid()
                                    + ": dag-cbor: map key at offset 1 is major type 0, not a"
                                    + " string");
            assertThat(out.size()).isZero();
        }
    }

    /**
     * Kubo's files have dag-pb leaves holding their bytes in UnixFS Data (no --raw-leaves): lake
     * get writes those bytes, by CID or by path, and a directory's block as is.
     */
    @Test
    void getWritesKuboFilesWithDagPbLeavesByCidAndByPath(@TempDir Path dir) throws Exception {
        Path car = SharedData.dir("ipld/go-car/cmd-testdata/simple-unixfs.car");
        Path wiki =
                SharedData.dir(
                        "ipld/go-car/cmd-testdata/wikipedia-cryptographic-hash-function.car");
        String root = "QmPLPpnptHc1DMhJAWNYMTqBTqqRQNy5WsY7F9pZgsBfMT";
        try (LakeCommands lake = LakeCommands.open(dir.resolve("a"), StorageConfig.defaults())) {
            lake.importCar(car);
            lake.importCar(wiki);
            String[][] files = {
                {"a/1/A.txt", "a1A"}, {"a/2/B.txt", "a2B"}, {"a/3/C.txt", "a3C"},
                {"b/4/D.txt", "b4D"}, {"b/5/E.txt", "b5E"}, {"b/6/F.txt", "b6F"},
                {"c/7/G.txt", "c7G"}, {"c/8/H.txt", "c8H"}, {"c/9/I.txt", "c9I"}
            };
            for (String[] f : files) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long n = lake.get(root + "/" + f[0], out);
                assertThat(out.toString()).as(f[0]).isEqualTo(f[1] + "\n");
                assertThat(n).isEqualTo(4);
            }
            // the same file by its own CID (a dag-pb leaf) and as an /ipfs/ path
            ByteArrayOutputStream leaf = new ByteArrayOutputStream();
            lake.get("QmTsoR2uVZyntFTWdm11YjFKafPr37kpGhH4m4o4bLGxdF", leaf);
            assertThat(leaf.toString()).isEqualTo("a1A\n");
            ByteArrayOutputStream ipfs = new ByteArrayOutputStream();
            lake.get("/ipfs/" + root + "/c/9/I.txt", ipfs);
            assertThat(ipfs.toString()).isEqualTo("c9I\n");

            // a directory is written as its block, not as the files under it run together
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            lake.get(root, d);
            assertThat(d.toByteArray()).isEqualTo(lake.store().get(Cid.parse(root)).data());

            // through the Wikipedia CAR's HAMT-sharded directory
            ByteArrayOutputStream page = new ByteArrayOutputStream();
            lake.get(
                    "bafybeiaysi4s6lnjev27ln5icwm6tueaw2vdykrtjkwiphwekaywqhcjze/wiki/Cryptographic_hash_function",
                    page);
            assertThat(page.toString()).contains("  <title>Cryptographic hash function</title>");

            assertThatThrownBy(() -> lake.get(root + "/a/nope.txt", new ByteArrayOutputStream()))
                    .isInstanceOf(LakesException.class)
                    .hasMessage("no 'nope.txt' in /ipfs/" + root + "/a");
        }
    }
}
