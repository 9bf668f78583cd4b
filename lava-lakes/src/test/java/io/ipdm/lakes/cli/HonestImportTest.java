package io.ipdm.lakes.cli;

import static io.ipdm.lakes.cli.RealDagsTest.blocks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity CIDs and imports that tell the truth, on real CARs and damaged copies of them. */
class HonestImportTest {
    private static final String EMPTY = "bafkqaaa";

    private static long warmBlocks(LakeCommands lake) {
        return lake.store().warm().scan(e -> true, Integer.MAX_VALUE).size();
    }

    @Test
    void oldFaithfulEpochZeroArchivesImportAndExport(@TempDir Path dir) throws Exception {
        record Epoch(String file, String root, int blocks) {}
        List<Epoch> epochs =
                List.of(
                        new Epoch(
                                "epoch-0-1.car",
                                "bafyreia7j4o364whssrt36odmq3tgryjcjfyjy7ab73akykjppk2f2qnhi",
                                712),
                        new Epoch(
                                "epoch-0-2.car",
                                "bafyreiczg5fhqxp72bjtfr7fa2giuni75rpff6rg4vkfw5xug5mhqmn5le",
                                720),
                        new Epoch(
                                "epoch-0-3.car",
                                "bafyreigywdbfkql2vnu3vodbmyhlhkfuegnkv5jorcilumi3gf6yo2jncy",
                                718));
        try (LakeCommands lake = LakeCommands.open(dir.resolve("a"), StorageConfig.defaults());
                LakeCommands other =
                        LakeCommands.open(dir.resolve("b"), StorageConfig.defaults())) {
            for (Epoch e : epochs) {
                Path car = SharedData.dir("solana/yellowstone-faithful-epoch0-car/" + e.file());
                Map<Cid, byte[]> original = blocks(car);
                LakeCommands.Imported imported = lake.importCar(car);
                assertThat(imported.roots()).containsExactly(Cid.parse(e.root()));
                assertThat(imported.blocks()).isEqualTo(e.blocks());
                assertThat(imported.missingRoots()).isEmpty();
                // the archives link to bafkqaaa (empty rewards), which is not in the CAR
                assertThat(imported.missingLinks()).isEmpty();

                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(lake.exportCar(e.root(), out)).isEqualTo(e.blocks());
                Map<Cid, byte[]> exported = blocks(new ByteArrayInputStream(out.toByteArray()));
                assertThat(exported.keySet()).isEqualTo(original.keySet());
                exported.forEach((c, b) -> assertThat(b).isEqualTo(original.get(c)));

                Path again = Files.write(dir.resolve(e.file()), out.toByteArray());
                assertThat(other.importCar(again).roots()).containsExactly(Cid.parse(e.root()));
                ByteArrayOutputStream second = new ByteArrayOutputStream();
                other.exportCar(e.root(), second);
                assertThat(second.toByteArray()).isEqualTo(out.toByteArray());
            }
            assertThat(warmBlocks(lake)).isEqualTo(712 + 720 + 718);
            // gc follows the archives' links through bafkqaaa without looking it up
            assertThat(lake.gc().freed().freedBlocks()).isZero();
        }
    }

    @Test
    void identityCidsAreInsideTheCidAndNeverStored(@TempDir Path dir) throws Exception {
        Path car = SharedData.dir("ipld/go-car/v2-testdata/sample-v1.car");
        try (LakeCommands lake = LakeCommands.open(dir, StorageConfig.defaults())) {
            assertThat(lake.importCar(car).blocks()).isEqualTo(1049);
            // the CAR's 6 identity blocks are checked, not stored
            assertThat(warmBlocks(lake)).isEqualTo(1043);
            Set<Cid> identity = new HashSet<>();
            for (Cid c : blocks(car).keySet()) {
                if (InlineBlocks.isInline(c)) {
                    identity.add(c);
                    assertThat(lake.store().warm().has(c)).isFalse();
                    assertThat(lake.store().has(c)).isTrue();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    lake.get(c.toString(), got);
                    assertThat(got.toByteArray()).isEqualTo(c.multihash().digest());
                }
            }
            assertThat(identity).hasSize(6);

            ByteArrayOutputStream empty = new ByteArrayOutputStream();
            assertThat(lake.get(EMPTY, empty)).isZero();
            LakeCommands.Stat s = lake.stat(EMPTY);
            assertThat(s.tier()).isEqualTo("inline");
            assertThat(s.size()).isZero();
            ByteArrayOutputStream car0 = new ByteArrayOutputStream();
            assertThat(lake.exportCar(EMPTY, car0)).isZero();
            try (CarReader r = CarReader.open(new ByteArrayInputStream(car0.toByteArray()))) {
                assertThat(r.header().roots()).containsExactly(Cid.parse(EMPTY));
                assertThat(r.next()).isNull();
            }
            lake.pin(EMPTY);

            Cid id = Cid.parse(EMPTY);
            assertThatThrownBy(() -> lake.store().put(new Block(id, new byte[] {1})))
                    .isInstanceOf(LakesException.class)
                    .hasMessage(
                            "block under identity CID bafkqaaa has 1 bytes that are not the 0"
                                    + " bytes the CID carries");
        }
    }

    @Test
    void aTruncatedCarIsRolledBack(@TempDir Path dir) throws Exception {
        Path car = SharedData.dir("ipld/go-car/v2-testdata/sample-v1.car");
        byte[] bytes = Files.readAllBytes(car);
        Path cut = Files.write(dir.resolve("cut.car"), Arrays.copyOf(bytes, bytes.length / 2));
        try (LakeCommands lake = LakeCommands.open(dir.resolve("lake"), StorageConfig.defaults())) {
            assertThatThrownBy(() -> lake.importCar(cut))
                    .isInstanceOf(LakesException.class)
                    .hasMessageStartingWith("import of " + cut + " failed after ")
                    .hasMessageContaining("invalid section data: section at offset ")
                    .hasMessageContaining(" truncated, needs ")
                    .hasMessageEndingWith(" blocks it had added were removed, nothing was pinned");
            assertThat(warmBlocks(lake)).isZero();
            assertThat(lake.store().pins()).isEmpty();
            assertThat(lake.store().has(Cid.parse(RealDagsTest.SAMPLE_ROOT))).isFalse();
        }
    }

    @Test
    void aCorruptBlockRollsBackOnlyWhatTheImportAdded(@TempDir Path dir) throws Exception {
        Path unixfs = SharedData.dir("ipld/go-car/cmd-testdata/simple-unixfs.car");
        String unixfsRoot = "QmPLPpnptHc1DMhJAWNYMTqBTqqRQNy5WsY7F9pZgsBfMT";
        Path car = SharedData.dir("ipld/go-car/v2-testdata/sample-v1.car");
        byte[] bytes = Files.readAllBytes(car);
        CarReader.Section victim;
        try (InputStream in = Files.newInputStream(car);
                CarReader r = CarReader.open(in)) {
            for (int i = 0; i < 600; i++) {
                r.next();
            }
            victim = r.next();
        }
        bytes[(int) victim.blockOffset() + 1] ^= 0x55;
        Path corrupt = Files.write(dir.resolve("corrupt.car"), bytes);
        try (LakeCommands lake = LakeCommands.open(dir.resolve("lake"), StorageConfig.defaults())) {
            assertThat(lake.importCar(unixfs).roots()).containsExactly(Cid.parse(unixfsRoot));
            assertThatThrownBy(() -> lake.importCar(corrupt))
                    .isInstanceOf(LakesException.class)
                    .hasMessage(
                            "import of "
                                    + corrupt
                                    + " failed after 600 good sections: block "
                                    + victim.block().cid()
                                    + " in section 600 at offset "
                                    + victim.offset()
                                    + " does not match its CID; rolled back: the 512 blocks it had"
                                    + " added were removed, nothing was pinned");
            assertThat(warmBlocks(lake)).isEqualTo(22);
            assertThat(lake.store().pins()).containsExactly(Cid.parse(unixfsRoot));
            assertThat(lake.exportCar(unixfsRoot, OutputStream.nullOutputStream())).isEqualTo(22);
        }
    }

    @Test
    void aRealCarWithACorruptLastSectionLeavesNothing(@TempDir Path dir) throws Exception {
        Path car = SharedData.dir("ipld/go-car/v2-testdata/sample-v1-tailing-corrupt-section.car");
        try (LakeCommands lake = LakeCommands.open(dir, StorageConfig.defaults())) {
            assertThatThrownBy(() -> lake.importCar(car))
                    .isInstanceOf(LakesException.class)
                    .hasMessageContaining("failed after 1048 good sections")
                    .hasMessageContaining(
                            "invalid section data: section at offset 479518 truncated")
                    .hasMessageContaining("rolled back: the 1024 blocks it had added were removed");
            assertThat(warmBlocks(lake)).isZero();
            assertThat(lake.store().pins()).isEmpty();
        }
    }

    @Test
    void zeroLengthSectionsEndACarOnlyWhenAskedTo(@TempDir Path dir) throws Exception {
        Path padded = SharedData.dir("ipld/go-car/v2-testdata/sample-v1-with-zero-len-section.car");
        Path padded2 =
                SharedData.dir("ipld/go-car/v2-testdata/sample-v1-with-zero-len-section2.car");
        try (LakeCommands lake = LakeCommands.open(dir, StorageConfig.defaults())) {
            assertThatThrownBy(() -> lake.importCar(padded))
                    .isInstanceOf(LakesException.class)
                    .hasMessageContaining(
                            "failed after 1049 good sections: invalid section data: zero-length"
                                    + " section at offset ")
                    .hasMessageEndingWith(" blocks it had added were removed, nothing was pinned");
            assertThat(warmBlocks(lake)).isZero();
            CarReader.Options eof = CarReader.Options.DEFAULT.withZeroLengthSectionAsEof();
            LakeCommands.Imported i = lake.importCar(padded, eof);
            assertThat(i.blocks()).isEqualTo(1049);
            assertThat(i.roots()).containsExactly(Cid.parse(RealDagsTest.SAMPLE_ROOT));
            LakeCommands.Imported i2 = lake.importCar(padded2, eof);
            assertThat(i2.blocks()).isEqualTo(20);
            assertThat(i2.roots().size() + i2.missingRoots().size()).isEqualTo(1);
            assertThat(i2.roots().isEmpty() ? i2.missingRoots().get(0) : i2.roots().get(0))
                    .isEqualTo(
                            Cid.parse(
                                    "bafykbzaceapvx4wxbe3bfc5neit43wl22pruy2ysk7wv763iuyyxcffj3te56"));
        }
    }

    @Test
    void rootsTheLakeDoesNotHoldAreReportedNotPinned(@TempDir Path dir) throws Exception {
        Block held = Block.of(Multicodec.RAW, "held".getBytes());
        Cid absent = Cid.sha256(Multicodec.RAW, "absent".getBytes());
        Path car = dir.resolve("partial.car");
        try (OutputStream out = Files.newOutputStream(car)) {
            new CarWriter(out, List.of(held.cid(), absent)).write(held);
        }
        try (LakeCommands lake = LakeCommands.open(dir.resolve("lake"), StorageConfig.defaults())) {
            LakeCommands.Imported i = lake.importCar(car);
            assertThat(i.roots()).containsExactly(held.cid());
            assertThat(i.missingRoots()).containsExactly(absent);
            assertThat(i.rootless()).isFalse();
            assertThat(lake.store().pins()).containsExactly(held.cid());

            // a real CAR without roots: its blocks are imported, nothing is pinned
            LakeCommands.Imported fixtures =
                    lake.importCar(SharedData.dir("ipld/codec-fixtures/fixtures.car"));
            assertThat(fixtures.rootless()).isTrue();
            assertThat(fixtures.blocks()).isEqualTo(273);
            assertThat(lake.store().pins()).containsExactly(held.cid());
        }
    }

    @Test
    void anIncompleteDagIsReported(@TempDir Path dir) throws Exception {
        Path full = SharedData.dir("ipld/go-car/cmd-testdata/simple-unixfs.car");
        Path partial = SharedData.dir("ipld/go-car/cmd-testdata/simple-unixfs-missing-blocks.car");
        Set<Cid> absent = new HashSet<>(blocks(full).keySet());
        absent.removeAll(blocks(partial).keySet());
        assertThat(absent).hasSize(5);
        try (LakeCommands lake = LakeCommands.open(dir, StorageConfig.defaults())) {
            LakeCommands.Imported i = lake.importCar(partial);
            assertThat(i.blocks()).isEqualTo(17);
            assertThat(i.missingLinks()).isNotEmpty();
            assertThat(absent).containsAll(i.missingLinks());
            String root = i.roots().get(0).toString();
            assertThatThrownBy(() -> lake.exportCar(root, OutputStream.nullOutputStream()))
                    .isInstanceOf(LakesException.class)
                    .hasMessageContaining(" is missing");
            // importing the missing blocks completes it
            assertThat(lake.importCar(full).missingLinks()).isEmpty();
            assertThat(lake.exportCar(root, OutputStream.nullOutputStream())).isEqualTo(22);
        }
    }
}
