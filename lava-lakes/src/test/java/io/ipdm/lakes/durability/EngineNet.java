package io.ipdm.lakes.durability;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.ipld.DagPb;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A few real engines wired by hand for rule tests: a virtual clock, blocks in maps, messages
 * through the codec delivered in order when {@link #settle()} runs (or held back, rewritten, or
 * dropped by a filter), fetches served from any node holding the DAG.
 */
final class EngineNet {
    static final long T0 = 1_767_225_600_000L;

    static final class MapBlocks implements BlockAccess {
        final Map<Cid, byte[]> blocks = new HashMap<>();
        final Set<Cid> pins = new HashSet<>();

        @Override
        public boolean has(Cid cid) {
            return blocks.containsKey(cid);
        }

        @Override
        public byte[] read(Cid cid) {
            return blocks.get(cid);
        }

        @Override
        public List<Cid> links(Cid cid) {
            byte[] b = blocks.get(cid);
            return b == null ? List.of() : Links.of(new Block(cid, b));
        }
    }

    final class Node {
        final Ed25519KeyPair key;
        final PeerId id;
        final MapBlocks store = new MapBlocks();
        DurabilityEngine engine;
        final List<DurabilityEvent> events = new ArrayList<>();
        final List<DurabilityAction.Fetch> fetches = new ArrayList<>();
        boolean autoFetch = true;

        /** Rewrites (or drops, by returning null) this node's outgoing messages. */
        UnaryOperator<DurabilityMessage> outgoing = m -> m;

        /** Outgoing messages this accepts arrive {@link #lateBy} ms late. */
        java.util.function.Predicate<DurabilityMessage> late = m -> false;

        long lateBy;

        Node(int i, DurabilityConfig cfg) {
            byte[] seed = new byte[32];
            Arrays.fill(seed, (byte) (i + 100));
            key = Ed25519KeyPair.fromSeed(seed);
            id = key.peerId();
            engine =
                    new DurabilityEngine(
                            id, cfg, codec, store, clock, new SplittableRandom(i), keys);
        }

        List<DurabilityEvent> events(DurabilityEvent.Kind kind) {
            return events.stream().filter(e -> e.kind() == kind).toList();
        }

        void put(Block b) {
            store.blocks.put(b.cid(), b.data());
        }
    }

    private record InFlight(Node from, Node to, byte[] bytes) {}

    private record Delayed(long at, InFlight message) {}

    private final List<Delayed> delayed = new ArrayList<>();

    final DurabilityCodec codec = DurabilityCodec.defaults();
    final KeySpace keys = new KeySpace();
    final Ed25519KeyPair author;
    final List<Node> nodes = new ArrayList<>();
    final Map<PeerId, Node> byId = new LinkedHashMap<>();
    final Set<PeerId> down = new HashSet<>();
    private final Deque<InFlight> wire = new ArrayDeque<>();
    long now = T0;
    final InstantSource clock =
            new InstantSource() {
                @Override
                public Instant instant() {
                    return Instant.ofEpochMilli(now);
                }

                @Override
                public long millis() {
                    return now;
                }
            };

    EngineNet(int n, DurabilityConfig.Builder cfg) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        author = Ed25519KeyPair.fromSeed(seed);
        DurabilityConfig c = cfg.authors(Set.of(author.peerId())).build();
        for (int i = 0; i < n; i++) {
            Node node = new Node(i, c);
            nodes.add(node);
            byId.put(node.id, node);
        }
        for (Node a : nodes) {
            a.engine.start(List.of());
            for (Node b : nodes) {
                if (a != b) {
                    a.engine.peerUp(b.id);
                }
            }
        }
        settle();
    }

    static DurabilityConfig.Builder quick() {
        return DurabilityConfig.builder()
                .maintenanceInterval(java.time.Duration.ofSeconds(10))
                .scanInterval(java.time.Duration.ofMinutes(1))
                .challengeInterval(java.time.Duration.ofMinutes(5))
                .challengeTimeout(java.time.Duration.ofSeconds(5))
                .replicateRetry(java.time.Duration.ofSeconds(20))
                .gcGrace(java.time.Duration.ofMinutes(2));
    }

    /** A dag-pb root over {@code leaves} raw leaves. */
    static List<Block> dag(String name, int leaves) {
        List<Block> out = new ArrayList<>();
        List<DagPb.Link> links = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            Block leaf = Block.of(Multicodec.RAW, (name + "/" + i).getBytes());
            out.add(leaf);
            links.add(new DagPb.Link(leaf.cid(), "l" + i, (long) leaf.data().length));
        }
        byte[] root = DagPb.encode(new DagPb.Node(name.getBytes(), links));
        out.addFirst(new Block(Cid.v1(Multicodec.DAG_PB, Multihash.sha2_256(root)), root));
        return out;
    }

    SignedRecord subscribe(String id, List<Cid> roots, int factor, long version) {
        return new Subscription(id, roots, factor, List.of(), "").sign(author, version);
    }

    void publish(SignedRecord r) {
        for (Node n : nodes) {
            if (!down.contains(n.id)) {
                n.engine.onSubscription(r);
            }
        }
        settle();
    }

    /** Nodes ordered by XOR distance to the root's key (what responsibility must follow). */
    List<Node> byDistance(Cid root) {
        var key = keys.of(root);
        List<Node> out = new ArrayList<>(nodes);
        out.sort((a, b) -> key.compareDistance(keys.of(a.id), keys.of(b.id)));
        return out;
    }

    void crash(Node n) {
        down.add(n.id);
        for (Node m : nodes) {
            if (m != n && !down.contains(m.id)) {
                m.engine.peerDown(n.id);
            }
        }
        settle();
    }

    /** Drains every engine and delivers messages until nothing moves. */
    void settle() {
        for (int round = 0; round < 10_000; round++) {
            boolean moved = false;
            for (Node n : nodes) {
                if (!down.contains(n.id)) {
                    moved |= drain(n);
                }
            }
            InFlight f = wire.poll();
            if (f != null) {
                moved = true;
                if (!down.contains(f.to.id)) {
                    f.to.engine.onMessage(f.from.id, codec.decode(f.bytes));
                }
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the engines never went quiet");
    }

    /** Advances the clock, firing every engine's timer, in steps of a second. */
    void advance(long millis) {
        long end = now + millis;
        while (now < end) {
            now = Math.min(end, now + 1000);
            for (java.util.Iterator<Delayed> it = delayed.iterator(); it.hasNext(); ) {
                Delayed d = it.next();
                if (d.at <= now) {
                    it.remove();
                    wire.add(d.message);
                }
            }
            for (Node n : nodes) {
                if (!down.contains(n.id)) {
                    n.engine.onTimer();
                }
            }
            settle();
        }
    }

    private boolean drain(Node n) {
        List<DurabilityAction> actions = n.engine.drainActions();
        for (DurabilityAction a : actions) {
            switch (a) {
                case DurabilityAction.Send s -> {
                    DurabilityMessage m = n.outgoing.apply(s.message());
                    Node to = byId.get(s.peer());
                    if (m != null && to != null) {
                        InFlight f = new InFlight(n, to, codec.encode(m));
                        if (n.late.test(m)) {
                            delayed.add(new Delayed(now + n.lateBy, f));
                        } else {
                            wire.add(f);
                        }
                    }
                }
                case DurabilityAction.Fetch f -> {
                    n.fetches.add(f);
                    if (n.autoFetch) {
                        serve(n, f);
                    }
                }
                case DurabilityAction.Pin p -> n.store.pins.add(p.root());
                case DurabilityAction.Unpin u -> n.store.pins.remove(u.root());
                case DurabilityAction.DropBlock d -> n.store.blocks.remove(d.cid());
                case DurabilityAction.ScheduleTimer t -> {}
                case DurabilityAction.Report r -> n.events.add(r.event());
            }
        }
        return !actions.isEmpty();
    }

    void serve(Node n, DurabilityAction.Fetch f) {
        for (Node src : nodes) {
            if (src == n || down.contains(src.id) || !src.store.has(f.root())) {
                continue;
            }
            Set<Cid> dag = new HashSet<>();
            Deque<Cid> stack = new ArrayDeque<>(List.of(f.root()));
            boolean complete = true;
            while (!stack.isEmpty()) {
                Cid c = stack.pop();
                byte[] b = src.store.read(c);
                if (b == null || !c.verifies(b)) {
                    complete = false;
                    break;
                }
                if (dag.add(c)) {
                    stack.addAll(src.store.links(c));
                }
            }
            if (complete) {
                for (Cid c : dag) {
                    n.store.blocks.put(c, src.store.read(c));
                }
                n.engine.onFetchResult(f.id(), true, "");
                return;
            }
        }
        n.engine.onFetchResult(f.id(), false, "no node holds " + f.root());
    }
}
