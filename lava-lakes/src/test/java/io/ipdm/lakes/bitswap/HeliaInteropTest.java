package io.ipdm.lakes.bitswap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.Await;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bitswap against Helia 7 (npm {@code helia}, {@code @helia/bitswap}, {@code @helia/unixfs}) over
 * loopback TCP, Noise and Yamux: software this project did not write fetches from and serves to an
 * IPDM node. Skips when node or the npm modules are missing.
 */
class HeliaInteropTest {
    private static final Duration T = Duration.ofSeconds(60);
    private final List<AutoCloseable> open = new ArrayList<>();

    private record Node(Host host, TieredStore store, BitswapNetwork bitswap, Multiaddr addr) {}

    private Node node(Path dir) throws Exception {
        Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        open.add(host);
        // Helia sends wants only to peers whose identify lists a Bitswap protocol
        Identify.install(host, "ipdm-lava-lakes/test", true);
        TieredStore store = TieredStore.open(dir, 64 << 20, 1 << 20);
        open.add(store);
        BitswapNetwork n =
                BitswapNetwork.start(
                        host, BlockStore.of(store), BitswapConfig.defaults(), Clock.systemUTC());
        open.add(n);
        Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        return new Node(host, store, n, addr);
    }

    private JsPeer helia() throws Exception {
        JsPeer h = JsPeer.start(JsPeer.Service.HELIA);
        open.add(h);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void heliaFetchesARawBlockAndAMultiMegabyteFileFromIpdm(@TempDir Path dir) throws Exception {
        Node ipdm = node(dir.resolve("ipdm"));
        Block hello = Block.of(Multicodec.RAW, "hello from IPDM".getBytes(StandardCharsets.UTF_8));
        List<Block> file = Dags.file(3, 20, 256 << 10);
        Cid root = Dags.root(file).cid();
        ipdm.store().put(hello);
        ipdm.store().putAll(file);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        UnixFsFile.write(ipdm.store(), root, content);

        JsPeer helia = helia();
        helia.call("dial", T, "addr", ipdm.addr().toString());
        JsonNode got = helia.call("get", T, "cid", hello.cid().toString());
        assertThat(Base64.getDecoder().decode(got.get("data").asText())).isEqualTo(hello.data());

        JsonNode cat = helia.call("cat", T, "cid", root.toString());
        assertThat(cat.get("size").asLong()).isEqualTo(5L << 20);
        assertThat(cat.get("sha256").asText()).isEqualTo(sha256(content.toByteArray()));
        List<Bitswap.PeerStats> stats = ipdm.bitswap().call(Bitswap::peers).join();
        assertThat(stats).hasSize(1);
        assertThat(stats.get(0).peer()).isEqualTo(PeerId.parse(helia.peerId()));
        assertThat(stats.get(0).blocksSent()).isGreaterThanOrEqualTo(22);
    }

    @Test
    void ipdmFetchesABlockAndADagThatOnlyHeliaHolds(@TempDir Path dir) throws Exception {
        JsPeer helia = helia();
        byte[] data = "held by Helia alone".getBytes(StandardCharsets.UTF_8);
        Cid block =
                Cid.parse(
                        helia.call("putRaw", T, "data", Base64.getEncoder().encodeToString(data))
                                .get("cid")
                                .asText());
        JsonNode added = helia.call("addFile", T, "seed", 9, "size", 3_500_000);
        Cid root = Cid.parse(added.get("cid").asText());

        Node ipdm = node(dir.resolve("ipdm"));
        ipdm.host().dial(helia.addr()).get(10, TimeUnit.SECONDS);
        try (BitswapSession s = ipdm.bitswap().session(List.of())) {
            assertThat(s.fetch(block, T).data()).isEqualTo(data);
            List<Block> got = new ArrayList<>();
            BitswapSession.DagResult r = s.fetchDag(root, ipdm.store(), got::add, 16, T);
            ipdm.store().putAll(got);
            assertThat(r.fetched()).isEqualTo(5); // four 1 MiB leaves and the root
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        UnixFsFile.write(ipdm.store(), root, content);
        assertThat(content.size()).isEqualTo(3_500_000);
        assertThat(sha256(content.toByteArray())).isEqualTo(added.get("sha256").asText());
    }

    /**
     * Helia on its default libp2p stack (as an application gets it from {@code @helia/libp2p}: more
     * transports, TLS next to Noise, circuit relay, dcutr, autonat-less kad-dht client...) dials
     * IPDM and fetches a multi-block file: what it offers beyond TCP, Noise and Yamux is negotiated
     * away.
     */
    @Test
    void heliaOnItsDefaultLibp2pStackFetchesAFileFromIpdm(@TempDir Path dir) throws Exception {
        Node ipdm = node(dir.resolve("ipdm"));
        List<Block> file = Dags.file(5, 6, 200_000);
        Cid root = Dags.root(file).cid();
        ipdm.store().putAll(file);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        UnixFsFile.write(ipdm.store(), root, content);
        JsPeer helia = JsPeer.start(JsPeer.Service.HELIA, JsPeer.Service.LIBP2P_DEFAULTS);
        open.add(helia);
        helia.call("dial", T, "addr", ipdm.addr().toString());
        JsonNode cat = helia.call("cat", T, "cid", root.toString());
        assertThat(cat.get("size").asLong()).isEqualTo(content.size());
        assertThat(cat.get("sha256").asText()).isEqualTo(sha256(content.toByteArray()));
    }

    /**
     * Helia asks for a block IPDM lacks: we answer DONT_HAVE and keep the want (Helia 7 sends no
     * CANCEL when its request is aborted: it drops the want locally, so it stays in our ledger;
     * cancels are covered by BitswapEngineTest); Helia asks again, and the block is served the
     * moment it arrives, which empties the ledger.
     */
    @Test
    void aWantForAMissingBlockIsKeptAndServedWhenTheBlockArrives(@TempDir Path dir)
            throws Exception {
        Node ipdm = node(dir.resolve("ipdm"));
        JsPeer helia = helia();
        helia.call("dial", T, "addr", ipdm.addr().toString());
        Block late = Block.of(Multicodec.RAW, "arrives late".getBytes(StandardCharsets.UTF_8));
        PeerId heliaId = PeerId.parse(helia.peerId());
        java.util.function.IntSupplier theirWants =
                () ->
                        ipdm.bitswap().peerStats().stream()
                                .filter(p -> p.peer().equals(heliaId))
                                .mapToInt(Bitswap.PeerStats::theirWants)
                                .sum();

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> helia.call("get", T, "cid", late.cid().toString(), "timeoutMs", 1500))
                .hasMessageContaining("Failed to load block");
        Await.await("Helia wanting the block", T, () -> theirWants.getAsInt() == 1);

        java.util.concurrent.CompletableFuture<JsonNode> got =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> helia.call("get", T, "cid", late.cid().toString()));
        assertThat(theirWants.getAsInt()).isEqualTo(1); // the kept want (and maybe the new one)
        ipdm.store().put(late);
        ipdm.bitswap().blocksAdded(List.of(late.cid()));
        JsonNode r = got.get(60, TimeUnit.SECONDS);
        assertThat(Base64.getDecoder().decode(r.get("data").asText())).isEqualTo(late.data());
        Await.await("Helia wanting nothing", T, () -> theirWants.getAsInt() == 0);
    }
}
