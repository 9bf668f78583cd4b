package io.ipdm.lakes.bitswap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.bitswap.Bitswap.Action;
import io.ipdm.lakes.bitswap.Bitswap.Disconnect;
import io.ipdm.lakes.bitswap.Bitswap.Send;
import io.ipdm.lakes.bitswap.BitswapMessage.Entry;
import io.ipdm.lakes.bitswap.BitswapMessage.Presence;
import io.ipdm.lakes.bitswap.BitswapMessage.PresenceType;
import io.ipdm.lakes.bitswap.BitswapMessage.WantType;
import io.ipdm.lakes.ipld.DagPb;
import io.ipdm.lakes.testutils.MutableClock;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine without sockets: engines wired in memory (every message goes through the codec at the
 * receiver's version), a hand-moved clock, and hand-made messages from misbehaving peers.
 */
class BitswapEngineTest {
    private final MutableClock clock = new MutableClock(1_000_000);
    private final Map<PeerId, Bitswap> engines = new LinkedHashMap<>();
    private final Map<PeerId, BitswapVersion> versions = new HashMap<>();

    /** Messages and disconnects addressed to peers that have no engine (hand-driven peers). */
    private final List<Action> toOthers = new ArrayList<>();

    private PeerId node(BlockStore store, BitswapVersion v) {
        PeerId id = Ed25519KeyPair.generate().peerId();
        engines.put(id, new Bitswap(BitswapConfig.defaults(), store, clock));
        versions.put(id, v);
        return id;
    }

    private PeerId node(BlockStore store) {
        return node(store, BitswapVersion.V120);
    }

    private static PeerId stranger() {
        return Ed25519KeyPair.generate().peerId();
    }

    private void connect(PeerId a, PeerId b) {
        hello(a, b);
        hello(b, a);
    }

    private void hello(PeerId at, PeerId other) {
        Bitswap e = engines.get(at);
        if (e != null) {
            e.peerConnected(other);
            BitswapVersion v = versions.get(other);
            if (v != null) {
                e.peerVersion(other, v);
            }
        }
    }

    /** Delivers messages until every engine is quiet. */
    private void pump() {
        boolean any = true;
        while (any) {
            any = false;
            for (Map.Entry<PeerId, Bitswap> en : new ArrayList<>(engines.entrySet())) {
                for (Action a : en.getValue().drain()) {
                    any = true;
                    switch (a) {
                        case Send s -> {
                            Bitswap to = engines.get(s.peer());
                            if (to == null) {
                                toOthers.add(a);
                                continue;
                            }
                            byte[] wire =
                                    BitswapCodecTest.unframe(
                                            en.getValue()
                                                    .codec()
                                                    .encodeFramed(
                                                            s.message(), versions.get(s.peer())));
                            to.received(en.getKey(), wire);
                        }
                        case Disconnect d -> {
                            toOthers.add(a);
                            Bitswap other = engines.get(d.peer());
                            if (other != null) {
                                other.peerDisconnected(en.getKey());
                            }
                        }
                    }
                }
            }
        }
    }

    private List<BitswapMessage> sentTo(PeerId peer) {
        List<BitswapMessage> out = new ArrayList<>();
        for (Action a : toOthers) {
            if (a instanceof Send s && s.peer().equals(peer)) {
                out.add(s.message());
            }
        }
        return out;
    }

    private List<String> disconnects(PeerId peer) {
        List<String> out = new ArrayList<>();
        for (Action a : toOthers) {
            if (a instanceof Disconnect d && d.peer().equals(peer)) {
                out.add(d.reason());
            }
        }
        return out;
    }

    private static Block raw(String s) {
        return Block.of(Multicodec.RAW, s.getBytes());
    }

    private static BitswapMessage wants(Entry... entries) {
        return new BitswapMessage(List.of(entries), false, List.of(), List.of(), 0);
    }

    /** Wants {@code cids} in a new session of {@code at}; returns where the blocks go. */
    private Map<Cid, Block> fetch(PeerId at, List<Cid> cids) {
        Map<Cid, Block> got = new LinkedHashMap<>();
        Bitswap e = engines.get(at);
        long s = e.newSession(List.of());
        e.want(s, cids, b -> got.put(b.cid(), b));
        pump();
        return got;
    }

    @Test
    void servesHaveBlockAndDontHaveKeepsMissingWantsAndHonoursCancel() {
        Block a = raw("a");
        Block c = raw("c");
        Block d = raw("d");
        Cid b = raw("b").cid();
        Cid e = raw("e").cid();
        MapStore store = new MapStore(List.of(a, c));
        PeerId server = node(store);
        PeerId client = stranger();
        Bitswap s = engines.get(server);
        s.peerConnected(client);
        s.received(
                client,
                wants(
                        Entry.want(a.cid(), WantType.HAVE, true),
                        Entry.want(b, WantType.HAVE, true),
                        Entry.want(c.cid(), WantType.BLOCK, true),
                        Entry.want(d.cid(), WantType.BLOCK, true),
                        Entry.want(e, WantType.BLOCK, false)));
        pump();
        List<BitswapMessage> got = sentTo(client);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).blocks()).containsExactly(c);
        assertThat(got.get(0).presences())
                .containsExactly(
                        new Presence(a.cid(), PresenceType.HAVE),
                        new Presence(b, PresenceType.DONT_HAVE),
                        new Presence(d.cid(), PresenceType.DONT_HAVE));
        assertThat(s.peers().get(0).theirWants()).isEqualTo(3); // b, d, e wait for the block

        s.received(client, wants(Entry.cancel(e)));
        assertThat(s.peers().get(0).theirWants()).isEqualTo(2);
        toOthers.clear();
        store.blocks.put(d.cid(), d);
        s.blocksAdded(List.of(d.cid(), e));
        pump();
        assertThat(sentTo(client)).hasSize(1);
        assertThat(sentTo(client).get(0).blocks()).containsExactly(d);
        assertThat(s.peers().get(0).blocksSent()).isEqualTo(2);
    }

    @Test
    void aPeerIsServedAsFastAsItsStreamsDrain() {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            blocks.add(Block.of(Multicodec.RAW, new byte[4000 + i]));
        }
        BitswapConfig paced =
                new BitswapConfig(
                        new BitswapLimits(1 << 20, 1000, 1024, 4096, 100),
                        1 << 20,
                        8192,
                        Duration.ofSeconds(5),
                        100,
                        Duration.ofMinutes(10));
        Bitswap s = new Bitswap(paced, new MapStore(blocks), clock);
        PeerId reader = stranger();
        s.peerConnected(reader);
        s.received(
                reader,
                wants(
                        blocks.stream()
                                .map(b -> Entry.want(b.cid(), WantType.BLOCK, true))
                                .toArray(Entry[]::new)));
        List<Block> sent = new ArrayList<>();
        s.drain().forEach(a -> sent.addAll(((Send) a).message().blocks()));
        assertThat(sent).containsExactlyElementsOf(blocks.subList(0, 3));
        assertThat(s.peers().get(0).theirWants()).isEqualTo(3);
        s.drained(reader, 8000);
        sent.clear();
        s.drain().forEach(a -> sent.addAll(((Send) a).message().blocks()));
        assertThat(sent).containsExactlyElementsOf(blocks.subList(3, 5));
        s.drained(reader, 20_000);
        sent.clear();
        s.drain().forEach(a -> sent.addAll(((Send) a).message().blocks()));
        assertThat(sent).containsExactly(blocks.get(5));
        assertThat(s.peers().get(0).theirWants()).isZero();
    }

    @Test
    void aSessionSplitsADagsBlocksOverTwoProviders() {
        List<Block> file = Dags.file(1, 40, 1024);
        PeerId p1 = node(new MapStore(file));
        PeerId p2 = node(new MapStore(file));
        PeerId client = node(new MapStore());
        connect(client, p1);
        connect(client, p2);
        Block root = Dags.root(file);
        Map<Cid, Block> got = fetch(client, List.of(root.cid()));
        assertThat(got).containsOnlyKeys(root.cid());
        List<Cid> leaves = file.subList(0, 40).stream().map(Block::cid).toList();
        // the same session: both providers answered HAVE for the root, so leaves go to both
        Bitswap c = engines.get(client);
        Map<Cid, Block> leafBlocks = new LinkedHashMap<>();
        long s = c.newSession(List.of());
        c.want(s, List.of(root.cid()), b -> {});
        pump();
        c.want(s, leaves, b -> leafBlocks.put(b.cid(), b));
        pump();
        assertThat(leafBlocks.keySet()).containsExactlyInAnyOrderElementsOf(leaves);
        for (Block b : leafBlocks.values()) {
            assertThat(b.cid().verifies(b.data())).isTrue();
        }
        long fromP1 = engines.get(p1).peers().get(0).blocksSent();
        long fromP2 = engines.get(p2).peers().get(0).blocksSent();
        assertThat(fromP1 + fromP2).isEqualTo(42); // two roots, 40 leaves
        assertThat(fromP1).isGreaterThanOrEqualTo(10);
        assertThat(fromP2).isGreaterThanOrEqualTo(10);
        assertThat(c.wantlist()).isEmpty();
    }

    @Test
    void dontHaveMovesTheWantToAnotherProvider() {
        List<Block> file = Dags.file(2, 6, 512);
        Block root = Dags.root(file);
        PeerId partial = node(new MapStore(List.of(root)));
        PeerId full = node(new MapStore(file));
        PeerId client = node(new MapStore());
        connect(client, partial);
        connect(client, full);
        Bitswap c = engines.get(client);
        long s = c.newSession(List.of());
        Map<Cid, Block> got = new LinkedHashMap<>();
        c.want(s, List.of(root.cid()), b -> got.put(b.cid(), b));
        pump();
        c.want(s, file.subList(0, 6).stream().map(Block::cid).toList(), b -> got.put(b.cid(), b));
        pump();
        assertThat(got).hasSize(7);
        assertThat(engines.get(full).peers().get(0).blocksSent()).isGreaterThanOrEqualTo(6);
        assertThat(engines.get(partial).peers().get(0).blocksSent()).isLessThanOrEqualTo(1);
    }

    @Test
    void aSilentPeerTimesOutIsScoredDownAndAnotherPeerServes() {
        Block x = raw("x");
        PeerId client = node(new MapStore());
        PeerId silent = stranger();
        Bitswap c = engines.get(client);
        c.peerConnected(silent);
        long s = c.newSession(List.of());
        Map<Cid, Block> got = new LinkedHashMap<>();
        c.want(s, List.of(x.cid()), b -> got.put(b.cid(), b));
        pump();
        assertThat(sentTo(silent).get(0).entries())
                .containsExactly(Entry.want(x.cid(), WantType.HAVE, true));
        // it claims to have the block, then never sends it
        c.received(
                silent,
                new BitswapMessage(
                        List.of(),
                        false,
                        List.of(),
                        List.of(new Presence(x.cid(), PresenceType.HAVE)),
                        0));
        pump();
        assertThat(sentTo(silent).get(1).entries())
                .containsExactly(Entry.want(x.cid(), WantType.BLOCK, true));
        PeerId honest = node(new MapStore(List.of(x)));
        connect(client, honest);
        pump();
        assertThat(got).isEmpty(); // the want-block to the silent peer is still in its time
        clock.advance(Duration.ofSeconds(5));
        c.tick();
        pump();
        assertThat(got).containsOnlyKeys(x.cid());
        assertThat(c.score(silent)).isEqualTo(-BitswapConfig.TIMEOUT_PENALTY);
        assertThat(c.lastPenalty(silent))
                .isEqualTo("no answer to want-block " + x.cid() + " within PT5S");
        assertThat(sentTo(silent).get(2).entries()).containsExactly(Entry.cancel(x.cid()));
        assertThat(c.isBanned(silent)).isFalse();
    }

    @Test
    void silenceAloneNeverBansAndAPeerStillSendingIsNotSilent() {
        PeerId client = node(new MapStore());
        PeerId slow = stranger();
        Bitswap c = engines.get(client);
        c.peerConnected(slow);
        long s = c.newSession(List.of());
        List<Cid> xs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            xs.add(raw("slow " + i).cid());
        }
        c.want(s, xs, b -> {});
        List<Presence> haves = xs.stream().map(x -> new Presence(x, PresenceType.HAVE)).toList();
        c.received(slow, new BitswapMessage(List.of(), false, List.of(), haves, 0));
        pump();
        // it keeps sending (one block every 4 s): its want-blocks do not time out
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(4));
            Block b = raw("slow " + i);
            c.received(slow, new BitswapMessage(List.of(), false, List.of(b), List.of(), 0));
            c.tick();
        }
        assertThat(c.score(slow)).isZero();
        // then it goes quiet: 27 wants time out, again and again, but it is never banned
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(5));
            c.tick();
            pump();
        }
        assertThat(c.score(slow)).isEqualTo(1 - BitswapConfig.defaults().banScore());
        assertThat(c.isBanned(slow)).isFalse();
        assertThat(disconnects(slow)).isEmpty();
    }

    @Test
    void wrongBytesForAWantedCidBanTheSenderAndTheWantGoesOn() {
        Block x = raw("x");
        PeerId client = node(new MapStore());
        PeerId liar = stranger();
        Bitswap c = engines.get(client);
        c.peerConnected(liar);
        long s = c.newSession(List.of());
        Map<Cid, Block> got = new LinkedHashMap<>();
        c.want(s, List.of(x.cid()), b -> got.put(b.cid(), b));
        pump();
        byte[] forged =
                new ProtoWriter()
                        .message(
                                3,
                                new ProtoWriter()
                                        .bytes(1, BitswapCodec.prefixOf(x.cid()))
                                        .bytes(2, "not x".getBytes()))
                        .toByteArray();
        c.received(liar, forged);
        pump();
        Cid forgedCid = Cid.sha256(Multicodec.RAW, "not x".getBytes());
        assertThat(disconnects(liar))
                .containsExactly(
                        "sent block "
                                + forgedCid
                                + " that this node did not ask for (wrong bytes for a wanted CID,"
                                + " or unsolicited)");
        assertThat(c.isBanned(liar)).isTrue();
        assertThat(got).isEmpty();
        // a banned peer that comes back is sent away again
        toOthers.clear();
        c.peerConnected(liar);
        pump();
        assertThat(disconnects(liar)).hasSize(1);
        assertThat(disconnects(liar).get(0)).contains("banned until");

        PeerId honest = node(new MapStore(List.of(x)));
        connect(client, honest);
        pump();
        assertThat(got).containsOnlyKeys(x.cid());
        assertThat(got.get(x.cid()).data()).isEqualTo(x.data());
    }

    @Test
    void wantsBeyondTheLedgerAreServedOrRefusedAndAFlooderIsBanned() {
        Block x = raw("x");
        BitswapLimits small = new BitswapLimits(1 << 20, 1000, 16, 1 << 19, 100);
        PeerId server = Ed25519KeyPair.generate().peerId();
        Bitswap s =
                new Bitswap(
                        BitswapConfig.defaults().withLimits(small),
                        new MapStore(List.of(x)),
                        clock);
        engines.put(server, s);
        versions.put(server, BitswapVersion.V120);
        PeerId busy = stranger();
        s.peerConnected(busy);
        List<Entry> es = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            es.add(Entry.want(raw("missing " + i).cid(), WantType.BLOCK, true));
        }
        es.add(Entry.want(x.cid(), WantType.BLOCK, true));
        s.received(busy, wants(es.toArray(Entry[]::new)));
        pump();
        // the ledger keeps 16 waiting wants; the rest are refused, but x is here and is sent
        assertThat(s.peers().get(0).theirWants()).isEqualTo(16);
        BitswapMessage answer = sentTo(busy).get(0);
        assertThat(answer.blocks()).containsExactly(x);
        assertThat(answer.presences()).hasSize(20);
        assertThat(disconnects(busy)).isEmpty();

        PeerId flooder = stranger();
        s.peerConnected(flooder);
        for (int m = 0; m < 3; m++) {
            List<Entry> fl = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                fl.add(Entry.want(raw("flood " + m + " " + i).cid(), WantType.BLOCK, false));
            }
            s.received(flooder, wants(fl.toArray(Entry[]::new)));
        }
        pump();
        assertThat(disconnects(flooder))
                .containsExactly(
                        "wantlist flood: 184 wants refused beyond the limit of 16 open wants");
        assertThat(s.isBanned(flooder)).isTrue();

        PeerId client = node(new MapStore());
        connect(client, server);
        assertThat(fetch(client, List.of(x.cid()))).containsOnlyKeys(x.cid());
    }

    @Test
    void aMalformedMessageDisconnectsThePeer() {
        PeerId server = node(new MapStore());
        PeerId bad = stranger();
        Bitswap s = engines.get(server);
        s.peerConnected(bad);
        s.received(bad, new byte[] {0x0a, 0x7f, 0x01});
        pump();
        assertThat(disconnects(bad)).hasSize(1);
        assertThat(disconnects(bad).get(0))
                .startsWith("malformed Bitswap message from " + bad + ": ");
        assertThat(s.isBanned(bad)).isTrue();
    }

    @Test
    void olderVersionsGetPlainWantsAndServeBareOrPrefixedBlocks() {
        byte[] pb = DagPb.encode(new DagPb.Node(new byte[] {8, 2}, List.of()));
        Block v0 = new Block(Cid.v0(Multihash.sha2_256(pb)), pb);
        Block rawV1 = raw("raw leaf over 1.0.0");
        PeerId old = node(new MapStore(List.of(v0, rawV1)), BitswapVersion.V100);
        Block y = raw("y");
        PeerId mid = node(new MapStore(List.of(y)), BitswapVersion.V110);
        PeerId client = node(new MapStore());
        connect(client, old);
        Map<Cid, Block> got = fetch(client, List.of(v0.cid(), rawV1.cid()));
        assertThat(got).containsOnlyKeys(v0.cid(), rawV1.cid());
        assertThat(got.get(rawV1.cid()).data()).isEqualTo(rawV1.data());
        connect(client, mid);
        assertThat(fetch(client, List.of(y.cid()))).containsOnlyKeys(y.cid());
        assertThat(disconnects(old)).isEmpty();
        assertThat(disconnects(mid)).isEmpty();
    }
}
