package io.ipdm.lakes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeCommandsTest {

    @Test
    void putOfADirectoryImportsItsTreeAndPinsTheRoot(@TempDir Path dir) throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("sub/a.txt"), "a");
        Files.writeString(tree.resolve("b.txt"), "b");
        try (LakeCommands lake =
                LakeCommands.open(dir.resolve("lake"), StorageConfig.fromMap(Map.of()))) {
            Cid root = lake.put(tree);
            assertThat(root.toString()).startsWith("bafybei");
            // root, sub, and the two files
            assertThat(lake.stat(root.toString()).links()).isEqualTo(2);
            io.ipdm.lakes.ipld.UnixFsPath.Resolved r =
                    io.ipdm.lakes.ipld.UnixFsPath.resolve(
                            lake.store(), root, java.util.List.of("sub", "a.txt"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            lake.get(r.target().toString(), out);
            assertThat(out.toString()).isEqualTo("a");
            assertThat(lake.gc().freed().liveBlocks()).isEqualTo(4);
        }
    }

    @Test
    void putGetStatImportExportGc(@TempDir Path dir) throws Exception {
        StorageConfig config =
                StorageConfig.fromMap(
                        Map.of("warm-max-bytes", "0", "cold-archive-bytes", "1048576"));
        byte[] content = new byte[3 * LakeCommands.CHUNK + 123];
        new Random(5).nextBytes(content);
        Path file = Files.write(dir.resolve("f.bin"), content);
        try (LakeCommands lake = LakeCommands.open(dir.resolve("lake"), config)) {
            Cid root = lake.put(file);
            assertThat(root.toString()).startsWith("bafybei");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(lake.get(root.toString(), out)).isEqualTo(content.length);
            assertThat(out.toByteArray()).isEqualTo(content);
            assertThat(lake.stat(root.toString()).links()).isEqualTo(4);

            LakeCommands.Imported imported =
                    lake.importCar(SharedData.dir("ipld/go-car/cmd-testdata/simple-unixfs.car"));
            assertThat(imported.blocks()).isEqualTo(22);
            ByteArrayOutputStream car = new ByteArrayOutputStream();
            assertThat(lake.exportCar(imported.roots().get(0).toString(), car)).isEqualTo(22);
            try (CarReader r = CarReader.open(new ByteArrayInputStream(car.toByteArray()))) {
                assertThat(r.header().roots()).isEqualTo(imported.roots());
            }

            LakeCommands.GcReport gc = lake.gc();
            assertThat(gc.demotedBySize()).isEqualTo(5 + 22);
            assertThat(gc.archives()).isNotEmpty();
            // put and import-car pinned their roots: nothing was garbage
            assertThat(gc.freed().freedBlocks()).isZero();
            assertThat(gc.freed().liveBlocks()).isEqualTo(5 + 22);
            assertThat(
                            lake.exportCar(
                                    imported.roots().get(0).toString(),
                                    new ByteArrayOutputStream()))
                    .isEqualTo(22);
            assertThat(lake.unpin(imported.roots().get(0).toString())).isTrue();
            assertThat(lake.unpin(imported.roots().get(0).toString()))
                    .as("unpinned twice")
                    .isFalse();
            LakeCommands.GcReport after = lake.gc();
            assertThat(after.freed().liveBlocks()).isEqualTo(5);
            // the 22 went cold in the first gc; exporting them promoted copies back to warm
            assertThat(after.freed().cold().blocks()).isEqualTo(22);
            assertThat(after.freed().warmBlocks()).isEqualTo(22);
            assertThatThrownBy(() -> lake.pin(imported.roots().get(0).toString()))
                    .isInstanceOf(LakesException.class)
                    .hasMessage(
                            "cannot pin "
                                    + imported.roots().get(0)
                                    + ": the block is not in the lake; put it there first (lake"
                                    + " import-car, or lake get "
                                    + imported.roots().get(0)
                                    + " --network MULTIADDR/p2p/ID, which keeps what it reads)");
            assertThat(lake.stat(root.toString()).tier()).isIn("cold", "hot");
            out.reset();
            lake.get(root.toString(), out);
            assertThat(out.toByteArray()).isEqualTo(content);
        }
    }

    @Test
    void userMistakesGetClearMessages(@TempDir Path dir) throws Exception {
        try (LakeCommands lake = LakeCommands.open(dir, StorageConfig.defaults())) {
            assertThatThrownBy(() -> lake.put(dir.resolve("missing.bin")))
                    .isInstanceOf(LakesException.class)
                    .hasMessage("no such file: " + dir.resolve("missing.bin"));
            assertThatThrownBy(() -> lake.stat("hello"))
                    .isInstanceOf(MultiformatException.class)
                    .hasMessage("invalid CID 'hello': invalid base32z character 'l' at position 1");
            String unknown = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
            assertThatThrownBy(() -> lake.stat(unknown))
                    .isInstanceOf(LakesException.class)
                    .hasMessage("block " + unknown + " not found");
        }
    }

    /** A lake another process (here: another open) holds is named as in use, with what to do. */
    @Test
    void aLakeInUseSaysSoAndWhatToDo(@TempDir Path dir) throws Exception {
        Path lake = dir.resolve("lake");
        try (LakeCommands first = LakeCommands.open(lake, StorageConfig.defaults())) {
            assertThatThrownBy(() -> LakeCommands.open(lake, StorageConfig.defaults()).close())
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageStartingWith(
                            "the lake at "
                                    + lake
                                    + " is in use: another process has it open (a running `ipdm"
                                    + " node` or `ipdm lake serve`; its node.json names it); stop"
                                    + " it, or read through it with --network");
        }
    }
}
