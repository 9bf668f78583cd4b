package io.ipdm.lakes.bitswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.bitswap.BitswapMessage.Entry;
import io.ipdm.lakes.bitswap.BitswapMessage.WantType;
import io.ipdm.lakes.ipld.DagPb;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.Await;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bitswap between hosts on loopback: real TCP, Noise, Yamux, lakes on disk, hostile peers. */
class BitswapNetworkTest {
    private static final Duration T = Duration.ofSeconds(30);
    private final List<AutoCloseable> open = new ArrayList<>();

    record Node(Host host, TieredStore store, BitswapNetwork bitswap, Multiaddr addr) {}

    private Node node(Path dir, Set<BitswapVersion> versions) throws Exception {
        Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        open.add(host);
        TieredStore store = TieredStore.open(dir, 64 << 20, 1 << 20);
        open.add(store);
        BitswapNetwork n =
                BitswapNetwork.start(
                        host,
                        BlockStore.of(store),
                        BitswapConfig.defaults(),
                        Clock.systemUTC(),
                        versions);
        open.add(n);
        Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        return new Node(host, store, n, addr);
    }

    private Node node(Path dir) throws Exception {
        return node(dir, EnumSet.allOf(BitswapVersion.class));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static Connection connect(Host from, Multiaddr to) throws Exception {
        return from.dial(to).get(10, TimeUnit.SECONDS);
    }

    private static long blocksSentBy(Node n) {
        return n.bitswap().call(e -> e.peers()).join().stream()
                .mapToLong(Bitswap.PeerStats::blocksSent)
                .sum();
    }

    private static BitswapSession.DagResult fetchDag(Node n, Cid root) {
        List<Block> got = new ArrayList<>();
        BitswapSession.DagResult r;
        try (BitswapSession s = n.bitswap().session(List.of())) {
            r = s.fetchDag(root, n.store(), got::add, 16, T);
        }
        n.store().putAll(got);
        return r;
    }

    @Test
    void aSessionFetchesAMultiMegabyteDagFromTwoProviders(@TempDir Path dir) throws Exception {
        List<Block> file = Dags.file(7, 24, 256 << 10);
        Block root = Dags.root(file);
        Node p1 = node(dir.resolve("p1"));
        Node p2 = node(dir.resolve("p2"));
        Node client = node(dir.resolve("c"));
        p1.store().putAll(file);
        p2.store().putAll(file);
        connect(client.host(), p1.addr());
        connect(client.host(), p2.addr());

        BitswapSession.DagResult r = fetchDag(client, root.cid());
        assertThat(r.fetched()).isEqualTo(25);
        assertThat(r.fetchedBytes()).isEqualTo(file.stream().mapToLong(b -> b.data().length).sum());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        UnixFsFile.write(client.store(), root.cid(), got);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        UnixFsFile.write(p1.store(), root.cid(), want);
        assertThat(got.toByteArray()).isEqualTo(want.toByteArray());
        assertThat(blocksSentBy(p1)).isPositive();
        assertThat(blocksSentBy(p2)).isPositive();
        assertThat(blocksSentBy(p1) + blocksSentBy(p2)).isGreaterThanOrEqualTo(25);

        // a second fetch finds everything locally
        assertThat(fetchDag(client, root.cid()).local()).isEqualTo(25);
    }

    @Test
    void peersThatSpeakOnly110Or100AreServedAndServe(@TempDir Path dir) throws Exception {
        byte[] pb = DagPb.encode(new DagPb.Node(new byte[] {8, 2}, List.of()));
        Block v0 = new Block(Cid.v0(Multihash.sha2_256(pb)), pb);
        Block y = Block.of(Multicodec.RAW, "served over 1.1.0".getBytes());
        Node old = node(dir.resolve("old"), EnumSet.of(BitswapVersion.V100));
        Node mid = node(dir.resolve("mid"), EnumSet.of(BitswapVersion.V110));
        Node client = node(dir.resolve("c"));
        old.store().put(v0);
        mid.store().put(y);
        connect(client.host(), old.addr());
        connect(client.host(), mid.addr());
        try (BitswapSession s = client.bitswap().session(List.of())) {
            assertThat(s.fetch(v0.cid(), T).data()).isEqualTo(pb);
            assertThat(s.fetch(y.cid(), T).data()).isEqualTo(y.data());
        }
        // and the other way: the old peer fetches from the 1.2.0 node
        Block z = Block.of(Multicodec.RAW, "fetched by a 1.1.0 peer".getBytes());
        client.store().put(z);
        try (BitswapSession s = mid.bitswap().session(List.of(client.host().peerId()))) {
            assertThat(s.fetch(z.cid(), T).data()).isEqualTo(z.data());
        }
    }

    @Test
    void aStalledBlockIsReportedAndAProviderAddedLaterServesTheRest(@TempDir Path dir)
            throws Exception {
        List<Block> file = Dags.file(9, 6, 32 << 10);
        Block root = Dags.root(file);
        Node empty = node(dir.resolve("empty"));
        Node holder = node(dir.resolve("holder"));
        Node client = node(dir.resolve("c"));
        holder.store().putAll(file);
        connect(client.host(), empty.addr());
        connect(client.host(), holder.addr());
        List<Cid> stalled = new ArrayList<>();
        List<Block> got = new ArrayList<>();
        // the session asks only the empty peer until the holder is added on the first stall
        try (BitswapSession s = client.bitswap().session(List.of(empty.host().peerId()))) {
            BitswapSession.DagResult r =
                    s.fetchDag(
                            root.cid(),
                            client.store(),
                            got::add,
                            16,
                            T,
                            Duration.ofMillis(300),
                            c -> {
                                stalled.add(c);
                                s.addProviders(List.of(holder.host().peerId()));
                            });
            assertThat(r.fetched()).isEqualTo(7);
        }
        assertThat(stalled).containsExactly(root.cid());
        assertThat(got)
                .extracting(Block::cid)
                .containsExactlyInAnyOrderElementsOf(file.stream().map(Block::cid).toList());
    }

    @Test
    void aMissingBlockFailsNamingThePeersAsked(@TempDir Path dir) throws Exception {
        Node p = node(dir.resolve("p"));
        Node client = node(dir.resolve("c"));
        connect(client.host(), p.addr());
        Cid nowhere = Block.of(Multicodec.RAW, "nowhere".getBytes()).cid();
        try (BitswapSession s = client.bitswap().session(List.of())) {
            assertThatThrownBy(() -> s.fetch(nowhere, Duration.ofMillis(500)))
                    .isInstanceOf(BitswapException.class)
                    .hasMessage(
                            "no peer sent "
                                    + nowhere
                                    + " within PT0.5S; asked 1 peer: ["
                                    + p.host().peerId()
                                    + "]");
        }
    }

    /** A host that speaks Bitswap 1.2.0 by hand. */
    private Host rawHost() {
        Host h = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        open.add(h);
        return h;
    }

    private static void sendRaw(Connection c, byte[]... frames) throws Exception {
        YamuxStream s =
                c.newStream(BitswapVersion.V120.protocolId(), (st, d) -> {})
                        .get(10, TimeUnit.SECONDS);
        for (byte[] f : frames) {
            s.write(Unpooled.wrappedBuffer(f));
        }
        s.closeWrite();
    }

    // a guard against a hang, not a timing check
    private static final Duration HANG = Duration.ofMinutes(2);

    /** Waits until {@code h} holds no connection to {@code peer}. */
    private static void awaitClosed(Host h, PeerId peer) throws InterruptedException {
        Await.await(
                h.peerId() + " drops its connection to " + peer,
                HANG,
                () -> h.connections().stream().noneMatch(c -> c.remotePeer().equals(peer)));
    }

    /** Waits until our end of {@code c} is closed (by the other end). */
    private static void awaitClosed(Connection c) throws InterruptedException {
        Await.await(c + " is closed", HANG, () -> !c.isOpen());
    }

    @Test
    void aPeerSendingWrongBytesIsBannedAndTheBlockComesFromAnother(@TempDir Path dir)
            throws Exception {
        Block x = Block.of(Multicodec.RAW, "the real x".getBytes());
        Node client = node(dir.resolve("c"));
        Host liar = rawHost();
        // answers every Bitswap message with forged bytes under x's prefix
        liar.addProtocol(
                BitswapVersion.V120.protocolId(),
                (conn, stream) -> {
                    LengthPrefixedReader r = new LengthPrefixedReader(1 << 20, "liar");
                    return new StreamHandler() {
                        @Override
                        public void onData(YamuxStream s, ByteBuf data) {
                            r.feed(
                                    data,
                                    m -> {
                                        byte[] forged =
                                                new ProtoWriter()
                                                        .message(
                                                                3,
                                                                new ProtoWriter()
                                                                        .bytes(
                                                                                1,
                                                                                BitswapCodec
                                                                                        .prefixOf(
                                                                                                x
                                                                                                        .cid()))
                                                                        .bytes(
                                                                                2,
                                                                                "forged"
                                                                                        .getBytes()))
                                                        .toByteArray();
                                        conn.newStream(
                                                        BitswapVersion.V120.protocolId(),
                                                        (st, d) -> {})
                                                .thenAccept(
                                                        st -> {
                                                            st.write(
                                                                    LengthPrefixedReader.frame(
                                                                            forged));
                                                            st.closeWrite();
                                                        });
                                    });
                        }
                    };
                });
        Multiaddr liarAddr = liar.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        connect(client.host(), liarAddr);
        try (BitswapSession s = client.bitswap().session(List.of())) {
            assertThatThrownBy(() -> s.fetch(x.cid(), Duration.ofSeconds(2)))
                    .isInstanceOf(BitswapException.class);
            awaitClosed(client.host(), liar.peerId());
            assertThat(client.bitswap().call(e -> e.isBanned(liar.peerId())).join()).isTrue();
            assertThat(client.bitswap().call(e -> e.lastPenalty(liar.peerId())).join())
                    .startsWith("sent block " + Cid.sha256(Multicodec.RAW, "forged".getBytes()));
            assertThat(client.store().has(x.cid())).isFalse();

            Node honest = node(dir.resolve("h"));
            honest.store().put(x);
            connect(client.host(), honest.addr());
            assertThat(s.fetch(x.cid(), T).data()).isEqualTo(x.data());
        }
    }

    @Test
    void oversizedFramesAndWantlistFloodsDisconnectTheSenderAndOthersAreServed(@TempDir Path dir)
            throws Exception {
        Block x = Block.of(Multicodec.RAW, "still served".getBytes());
        Node server = node(dir.resolve("s"));
        server.store().put(x);

        Host big = rawHost();
        Connection c1 = connect(big, server.addr());
        // a length prefix of 5 MiB: over the 4 MiB message limit, refused before allocation
        sendRaw(c1, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0xc0, 0x02});
        awaitClosed(c1);
        awaitClosed(server.host(), big.peerId());
        assertThat(server.bitswap().call(e -> e.lastPenalty(big.peerId())).join())
                .contains("exceeds the limit of 4194304");

        Host flooder = rawHost();
        Connection c2 = connect(flooder, server.addr());
        List<Entry> es = new ArrayList<>();
        for (int i = 0; i <= BitswapLimits.defaults().maxMessageEntries(); i++) {
            byte[] d = ("flood " + i).getBytes();
            es.add(Entry.want(Block.of(Multicodec.RAW, d).cid(), WantType.BLOCK, false));
        }
        sendRaw(
                c2,
                server.bitswap()
                        .engine()
                        .codec()
                        .encodeFramed(
                                new BitswapMessage(es, false, List.of(), List.of(), 0),
                                BitswapVersion.V120));
        awaitClosed(c2);
        awaitClosed(server.host(), flooder.peerId());
        assertThat(server.bitswap().call(e -> e.lastPenalty(flooder.peerId())).join())
                .isEqualTo(
                        "Bitswap message from "
                                + flooder.peerId()
                                + ": wantlist of more than 16384 entries in one message (the"
                                + " limit)");

        Host garbage = rawHost();
        Connection c3 = connect(garbage, server.addr());
        sendRaw(c3, LengthPrefixedReader.frame(new byte[] {0x0a, 0x7f, 0x01}).array());
        awaitClosed(c3);
        awaitClosed(server.host(), garbage.peerId());

        Node client = node(dir.resolve("c"));
        connect(client.host(), server.addr());
        try (BitswapSession s = client.bitswap().session(List.of())) {
            assertThat(s.fetch(x.cid(), T).data()).isEqualTo(x.data());
        }
        // The banned flooder is refused when it comes back. Its dial completes when its own end of
        // the upgrade does, which can be before the server has registered the connection (let
        // alone closed it): so wait for the flooder's end to be closed, then for the server's.
        Connection again = connect(flooder, server.addr());
        awaitClosed(again);
        awaitClosed(server.host(), flooder.peerId());
        assertThat(again.isOpen()).isFalse();
    }
}
