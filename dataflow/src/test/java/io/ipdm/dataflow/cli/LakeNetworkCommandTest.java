package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.LakeNode;
import io.ipdm.lakes.node.NodeConfig;
import io.ipdm.lakes.node.NodeRole;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ipdm lake get|export-car --network}: a lake that lacks a DAG reads it from a storage node
 * over the DHT and Bitswap, keeps what it fetched, and says how many peers it asked when nobody has
 * a block.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LakeNetworkCommandTest {
    private final StringWriter err = new StringWriter();

    /** Runs {@code ipdm args} and returns what it wrote to stdout (the data, not messages). */
    private byte[] run(int expectedExit, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(bytes, true));
            CommandLine cl = IpdmCli.commandLine();
            cl.setOut(new PrintWriter(new StringWriter(), true));
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        assertThat(code).as(err::toString).isEqualTo(expectedExit);
        return bytes.toByteArray();
    }

    @Test
    void getAndExportCarReadWhatAStorageNodeHolds(@TempDir Path dir) throws Exception {
        byte[] content = new byte[2 * LakeCommands.CHUNK + 777];
        new Random(5).nextBytes(content);
        Path file = dir.resolve("f.bin");
        Files.write(file, content);
        Path served = dir.resolve("served");
        Cid root;
        List<Cid> dag = new ArrayList<>();
        try (LakeCommands lake = LakeCommands.open(served, StorageConfig.defaults())) {
            root = lake.put(file);
            Links.walk(lake.store(), root, b -> dag.add(b.cid()));
        }
        NodeConfig cfg = NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), served).build();
        try (LakeNode node = LakeNode.start(cfg, IpfsNetwork::install)) {
            String peer = node.mesh().addresses().get(0).toString();
            Path mine = dir.resolve("mine");
            byte[] got =
                    run(
                            0,
                            "lake",
                            "--dir",
                            mine.toString(),
                            "get",
                            root.toString(),
                            "--network",
                            peer);
            assertThat(got).isEqualTo(content);
            try (LakeCommands lake = LakeCommands.open(mine, StorageConfig.defaults())) {
                for (Cid c : dag) {
                    assertThat(lake.store().has(c)).as("kept " + c).isTrue();
                }
                assertThat(lake.store().pins()).as("fetched, not pinned").isEmpty();
            }

            Path other = dir.resolve("other");
            byte[] car =
                    run(
                            0,
                            "lake",
                            "--dir",
                            other.toString(),
                            "export-car",
                            root.toString(),
                            "--network",
                            peer);
            List<Cid> exported = new ArrayList<>();
            try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
                assertThat(r.header().roots()).containsExactly(root);
                for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                    Block b = s.block();
                    exported.add(b.cid());
                }
            }
            assertThat(exported).containsExactlyElementsOf(dag);

            String missing = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
            assertThat(
                            run(
                                    1,
                                    "lake",
                                    "--dir",
                                    dir.resolve("third").toString(),
                                    "get",
                                    missing,
                                    "--network",
                                    peer,
                                    "--read-timeout",
                                    "2s"))
                    .isEmpty();
            assertThat(err.toString())
                    .contains(
                            "ipdm lake: block "
                                    + missing
                                    + " is not in this lake and none of the 1 peers asked sent it"
                                    + " within 2000 ms (0 providers found by the DHT after asking");
        }
    }

    /**
     * {@code --routing URL} alone: a gateway node's /routing/v1 names the provider, no DHT peer.
     */
    @Test
    void getReadsThroughADelegatedRouterAlone(@TempDir Path dir) throws Exception {
        byte[] content = new byte[LakeCommands.CHUNK + 99];
        new Random(6).nextBytes(content);
        Path file = dir.resolve("f.bin");
        Files.write(file, content);
        Path served = dir.resolve("served");
        Cid root;
        try (LakeCommands lake = LakeCommands.open(served, StorageConfig.defaults())) {
            root = lake.put(file);
        }
        NodeConfig cfg =
                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE, NodeRole.GATEWAY), served).build();
        try (LakeNode node = LakeNode.start(cfg, IpfsNetwork::install)) {
            String router = node.gateway().baseUri().toString();
            byte[] got =
                    run(
                            0,
                            "lake",
                            "--dir",
                            dir.resolve("mine").toString(),
                            "get",
                            root.toString(),
                            "--routing",
                            router);
            assertThat(got).isEqualTo(content);
        }
        run(
                2,
                "lake",
                "--dir",
                dir.resolve("x").toString(),
                "get",
                root.toString(),
                "--routing",
                "ftp://h");
        assertThat(err.toString())
                .contains(
                        "delegated router 'ftp://h' must be an http:// or https:// URL with a host");
    }

    /**
     * {@code export-car --network} of a real Old Faithful CAR (Solana epoch 0, slots 0-9: 712
     * dag-cbor blocks) a storage node holds: the exported CAR has exactly the CAR's blocks, and the
     * DAG was fetched as a DAG (one Bitswap session, links wanted together), not a block per round
     * trip: the storage node answered in far fewer messages than blocks.
     */
    @Test
    void exportCarFetchesARealDagInBatches(@TempDir Path dir) throws Exception {
        Path car =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "solana/yellowstone-faithful-epoch0-car/epoch-0-1.car");
        Assumptions.assumeTrue(
                Files.exists(car),
                "Old Faithful epoch-0-1.car not found under ../shared/data; skipping");
        Path served = dir.resolve("served");
        Cid root;
        try (LakeCommands lake = LakeCommands.open(served, StorageConfig.defaults())) {
            root = lake.importCar(car).roots().get(0);
        }
        Set<Cid> archive = new HashSet<>();
        try (CarReader r = CarReader.open(Files.newInputStream(car))) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                archive.add(s.block().cid());
            }
        }
        assertThat(archive).hasSize(712);
        NodeConfig cfg = NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), served).build();
        try (LakeNode node = LakeNode.start(cfg, IpfsNetwork::install)) {
            String peer = node.mesh().addresses().get(0).toString();
            byte[] out =
                    run(
                            0,
                            "lake",
                            "--dir",
                            dir.resolve("mine").toString(),
                            "export-car",
                            root.toString(),
                            "--network",
                            peer);
            List<Cid> exported = new ArrayList<>();
            try (CarReader r = CarReader.open(new ByteArrayInputStream(out))) {
                assertThat(r.header().roots()).containsExactly(root);
                for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                    exported.add(s.block().cid()); // re-hashed against its CID by the reader
                }
            }
            assertThat(exported).doesNotHaveDuplicates();
            assertThat(new HashSet<>(exported)).isEqualTo(archive);

            Matcher m =
                    Pattern.compile("(?m)^ipdm_node_bitswap_messages_sent_total (\\d+)")
                            .matcher(node.metrics().scrape());
            assertThat(m.find()).isTrue();
            long messages = Long.parseLong(m.group(1));
            // a walk reading one block at a time gets one answer per block (712)
            assertThat(messages).as("messages the storage node sent").isLessThan(712 / 4);
        }
    }

    /**
     * {@code get --network} of a file in 400 chunks: the content comes out whole, and its chunks
     * were fetched together (one Bitswap session) before the walk, not a round trip per chunk: the
     * storage node answered in far fewer messages than blocks.
     */
    @Test
    void getFetchesAChunkedFileInBatches(@TempDir Path dir) throws Exception {
        byte[] content = new byte[400 * 1024];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("f.bin");
        Files.write(file, content);
        List<Block> blocks = UnixFsFile.build(UnixFsFile.chunks(file, 1024));
        Cid root = blocks.get(blocks.size() - 1).cid();
        Path served = dir.resolve("served");
        try (LakeCommands lake = LakeCommands.open(served, StorageConfig.defaults())) {
            lake.store().putAll(blocks);
            lake.store().pin(root);
        }
        NodeConfig cfg = NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), served).build();
        try (LakeNode node = LakeNode.start(cfg, IpfsNetwork::install)) {
            String peer = node.mesh().addresses().get(0).toString();
            byte[] got =
                    run(
                            0,
                            "lake",
                            "--dir",
                            dir.resolve("mine").toString(),
                            "get",
                            root.toString(),
                            "--network",
                            peer);
            assertThat(got).isEqualTo(content);
            Matcher m =
                    Pattern.compile("(?m)^ipdm_node_bitswap_messages_sent_total (\\d+)")
                            .matcher(node.metrics().scrape());
            assertThat(m.find()).isTrue();
            assertThat(Long.parseLong(m.group(1)))
                    .as("messages the storage node sent for %d blocks", blocks.size())
                    .isLessThan(blocks.size() / 4);
        }
    }
}
