package io.ipdm.mesh.sim;

import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.gossipsub.GossipRouter;
import io.ipdm.mesh.gossipsub.MessageId;
import io.ipdm.mesh.gossipsub.PubSubMessage;
import io.ipdm.mesh.gossipsub.Rpc;
import io.ipdm.mesh.gossipsub.ScoreParams;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PeerRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of many gossipsub nodes, each running the unchanged {@link
 * GossipRouter}, on a virtual network driven by one seed (as FoundationDB and TigerBeetle test
 * their protocols).
 *
 * <p>The network: connections between node pairs, each RPC delayed by a latency drawn uniformly
 * from [{@code minLatency}, {@code maxLatency}] and delivered in order per direction (as over one
 * TCP stream), dropped with probability {@code loss} (a lossy transport; gossip repairs it),
 * partitions (connections across the cut break; {@link #heal()} re-dials them), and crashes ({@link
 * #crash}: the node's state is lost and its peers see it disconnect; {@link #restart}: a fresh
 * router with the same identity rejoins its topics and re-dials its links). Time is virtual: {@link
 * #run} executes events in (time, sequence) order, so a run takes no wall-clock sleeps and every
 * run with the same seed and the same calls is identical: {@link #traceHash()} digests every event.
 *
 * <p>Not thread-safe: one thread drives a simulation.
 */
public final class Simulation {
    /** One message delivered to a node's application. */
    public record Delivery(long timeNanos, int node, int from, PubSubMessage message) {}

    /** Called for every delivery, inside the simulation (it may schedule or publish). */
    @FunctionalInterface
    public interface DeliveryListener {
        void onDelivery(Delivery d);
    }

    private record Event(long time, long seq, Runnable action) {}

    private final class Node {
        final int index;
        final Ed25519KeyPair key;
        final Set<String> topics = new LinkedHashSet<>();
        final List<Delivery> received = new ArrayList<>();
        GossipRouter router;
        boolean up = true;
        boolean silent;
        boolean forgedRecord;
        int incarnation;
        private byte[] envelope;
        private int envelopeIncarnation = -1;

        Node(int index, Ed25519KeyPair key) {
            this.index = index;
            this.key = key;
        }

        /**
         * The signed peer record this node shows its peers on connecting (what identify carries),
         * sealed once per incarnation; broken when the scenario forges it.
         */
        byte[] record() {
            if (envelopeIncarnation != incarnation) {
                envelope =
                        new PeerRecord(key.peerId(), incarnation + 1L, List.of(address(index)))
                                .seal(key);
                envelopeIncarnation = incarnation;
            }
            if (forgedRecord) {
                byte[] f = envelope.clone();
                f[f.length - 1] ^= 1;
                return f;
            }
            return envelope;
        }
    }

    private final GossipConfig gossip;
    private final ScoreParams score;
    private final long minLatency;
    private final long maxLatency;
    private final double loss;
    private final SplittableRandom net;
    private final SplittableRandom routers;
    private final Node[] nodes;
    private final Map<PeerId, Integer> indexOf = new HashMap<>();
    private final Map<Multiaddr, Integer> byAddress = new HashMap<>();
    private final PriorityQueue<Event> events =
            new PriorityQueue<>(
                    (a, b) ->
                            a.time != b.time
                                    ? Long.compare(a.time, b.time)
                                    : Long.compare(a.seq, b.seq));

    /** Link state: who dialed, the connection's epoch (in-flight RPCs of older ones are lost). */
    private final boolean[][] linked;

    private final boolean[][] dialer;
    private final int[][] epoch;
    private final long[][] lastArrival;

    /** Links wanted by the scenario (re-dialed by heal and restart). */
    private final boolean[][] wanted;

    private int[] side;
    private final List<DeliveryListener> listeners = new ArrayList<>();
    private final MessageDigest trace;
    private final byte[] traceLong = new byte[8];
    private long now;
    private long seq;
    private long rpcs;
    private long dropped;
    private final Map<MessageId, Long> publishedAt = new HashMap<>();

    private Simulation(Builder b) {
        this.gossip = b.gossip;
        this.score = b.score;
        this.minLatency = b.minLatency.toNanos();
        this.maxLatency = b.maxLatency.toNanos();
        this.loss = b.loss;
        SplittableRandom master = new SplittableRandom(b.seed);
        this.net = master.split();
        this.routers = master.split();
        int n = b.nodes;
        this.nodes = new Node[n];
        this.linked = new boolean[n][n];
        this.dialer = new boolean[n][n];
        this.epoch = new int[n][n];
        this.lastArrival = new long[n][n];
        this.wanted = new boolean[n][n];
        try {
            this.trace = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < n; i++) {
            byte[] seed = new byte[32];
            master.nextBytes(seed);
            Node node = new Node(i, Ed25519KeyPair.fromSeed(seed));
            nodes[i] = node;
            indexOf.put(node.key.peerId(), i);
            byAddress.put(address(i), i);
            node.router = newRouter(node);
            scheduleTick(node);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private GossipRouter newRouter(Node node) {
        // Sequence numbers grow with virtual time so a restarted node never reuses one.
        return new GossipRouter(
                node.key, gossip, score, () -> now, routers.split(), now * 1000 + node.index);
    }

    // ---------------------------------------------------------------- scenario calls

    public int size() {
        return nodes.length;
    }

    public long nowNanos() {
        return now;
    }

    public PeerId peerId(int node) {
        return nodes[node].key.peerId();
    }

    /** The router of {@code node} (for inspection; feed it only through the simulation). */
    public GossipRouter router(int node) {
        return nodes[node].router;
    }

    public boolean isUp(int node) {
        return nodes[node].up;
    }

    public void addDeliveryListener(DeliveryListener l) {
        listeners.add(l);
    }

    /**
     * Makes {@code node} a free rider: it keeps its connections, subscriptions and control traffic
     * (GRAFT, PRUNE, IHAVE, IWANT) but never sends a message, neither its own nor a forwarded one.
     * Honest nodes must still deliver to each other around it.
     */
    public void makeSilent(int node) {
        nodes[node].silent = true;
        record("silent", node, -1, 0);
    }

    /**
     * Node {@code node}'s signed peer record, as its peers receive it on connecting, does not
     * verify: they hold no record for it, so peer exchange offers it without one and nobody dials
     * it from peer exchange.
     */
    public void forgePeerRecord(int node) {
        nodes[node].forgedRecord = true;
        record("forged-record", node, -1, 0);
    }

    /** The simulated address of {@code node} (in its signed peer record). */
    public static Multiaddr address(int node) {
        return Multiaddr.parse(
                "/ip4/10."
                        + (node >> 16 & 255)
                        + "."
                        + (node >> 8 & 255)
                        + "."
                        + (node & 255)
                        + "/tcp/4001");
    }

    /** Whether {@code a} and {@code b} are connected now. */
    public boolean linked(int a, int b) {
        return linked[a][b];
    }

    /** Whether {@code a} is connected to {@code b} by a connection {@code a} dialed. */
    public boolean dialed(int a, int b) {
        return linked[a][b] && dialer[a][b];
    }

    /** Node {@code a} dials node {@code b}; the connection is up after one latency. */
    public void connect(int a, int b) {
        if (a == b) {
            throw new IllegalArgumentException("node " + a + " cannot dial itself");
        }
        wanted[a][b] = true;
        wanted[b][a] = true;
        dial(a, b);
    }

    /** Each node dials {@code degree} distinct others drawn from the network's random source. */
    public void connectRandom(int degree) {
        int n = nodes.length;
        if (degree >= n) {
            throw new IllegalArgumentException(
                    "degree " + degree + " needs more than " + n + " nodes");
        }
        for (int a = 0; a < n; a++) {
            int dialed = 0;
            while (dialed < degree) {
                int b = net.nextInt(n);
                if (b != a && !wanted[a][b]) {
                    connect(a, b);
                    dialed++;
                }
            }
        }
    }

    public void subscribe(int node, String topic) {
        Node n = nodes[node];
        n.topics.add(topic);
        if (n.up) {
            record("sub", node, -1, topic.hashCode());
            n.router.subscribe(topic);
            drain(n);
        }
    }

    /** Publishes from {@code node} (which must be up); returns the message id. */
    public MessageId publish(int node, String topic, byte[] data) {
        Node n = nodes[node];
        if (!n.up) {
            throw new IllegalStateException("node " + node + " is down");
        }
        MessageId id = n.router.publish(topic, data);
        publishedAt.put(id, now);
        record("pub", node, -1, id.hashCode());
        drain(n);
        return id;
    }

    /**
     * Cuts the network in two: {@code sideA} against everyone else. Connections across the cut
     * break at once (both ends see a disconnect) and cannot be re-dialed until {@link #heal()}.
     */
    public void partition(Set<Integer> sideA) {
        side = new int[nodes.length];
        for (int i : sideA) {
            side[i] = 1;
        }
        record("partition", -1, -1, sideA.hashCode());
        for (int a = 0; a < nodes.length; a++) {
            for (int b = a + 1; b < nodes.length; b++) {
                if (linked[a][b] && side[a] != side[b]) {
                    cut(a, b);
                }
            }
        }
    }

    /** Ends the partition and re-dials the connections it broke. */
    public void heal() {
        side = null;
        record("heal", -1, -1, 0);
        redialWanted(-1);
    }

    /** Node {@code node} crashes: its state is gone and its peers see it disconnect. */
    public void crash(int node) {
        Node n = nodes[node];
        if (!n.up) {
            return;
        }
        record("crash", node, -1, 0);
        for (int b = 0; b < nodes.length; b++) {
            if (linked[node][b]) {
                cut(node, b);
            }
        }
        n.up = false;
        n.incarnation++;
        n.router = null;
    }

    /**
     * Node {@code node} comes back with its identity but a fresh router: it subscribes to its
     * topics again and re-dials its links.
     */
    public void restart(int node) {
        Node n = nodes[node];
        if (n.up) {
            return;
        }
        record("restart", node, -1, 0);
        n.up = true;
        n.router = newRouter(n);
        for (String t : n.topics) {
            n.router.subscribe(t);
        }
        drain(n);
        scheduleTick(n);
        redialWanted(node);
    }

    /** Runs {@code action} at {@code delay} from now, inside the simulation. */
    public void schedule(Duration delay, Runnable action) {
        at(now + delay.toNanos(), action);
    }

    /** Executes every event up to {@code duration} from now. */
    public void run(Duration duration) {
        long until = now + duration.toNanos();
        while (!events.isEmpty() && events.peek().time <= until) {
            Event e = events.poll();
            now = e.time;
            e.action.run();
        }
        now = until;
    }

    /** Messages delivered to {@code node}'s application, in order (kept across restarts). */
    public List<Delivery> received(int node) {
        return List.copyOf(nodes[node].received);
    }

    /** Whether {@code node} has delivered message {@code id}. */
    public boolean hasReceived(int node, MessageId id) {
        for (Delivery d : nodes[node].received) {
            if (d.message().id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Up nodes reachable from {@code node} over current connections (itself included). */
    public Set<Integer> reachableFrom(int node) {
        return reachable(node, false);
    }

    /**
     * Honest (not {@link #makeSilent silent}) up nodes reachable from {@code node} through honest
     * nodes only: those a message published by {@code node} must reach.
     */
    public Set<Integer> honestReachableFrom(int node) {
        return reachable(node, true);
    }

    private Set<Integer> reachable(int node, boolean honestOnly) {
        BitSet seen = new BitSet();
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        seen.set(node);
        todo.add(node);
        while (!todo.isEmpty()) {
            int a = todo.poll();
            for (int b = 0; b < nodes.length; b++) {
                if (linked[a][b] && !seen.get(b) && !(honestOnly && nodes[b].silent)) {
                    seen.set(b);
                    todo.add(b);
                }
            }
        }
        Set<Integer> out = new LinkedHashSet<>();
        seen.stream().forEach(out::add);
        return out;
    }

    /**
     * Figures of the run so far: messages published, deliveries, delivery latency (publish to
     * delivery, virtual time) and duplicate copies received by the routers now up.
     */
    public Report report() {
        List<Long> latencies = new ArrayList<>();
        long deliveries = 0;
        for (Node n : nodes) {
            for (Delivery d : n.received) {
                deliveries++;
                Long t = publishedAt.get(d.message().id());
                if (t != null) {
                    latencies.add(d.timeNanos() - t);
                }
            }
        }
        latencies.sort(null);
        long duplicates = 0;
        for (Node n : nodes) {
            if (n.up) {
                duplicates += n.router.metrics().duplicates();
            }
        }
        return new Report(
                publishedAt.size(),
                deliveries,
                percentile(latencies, 0.5),
                percentile(latencies, 0.99),
                latencies.isEmpty() ? Duration.ZERO : Duration.ofNanos(latencies.getLast()),
                duplicates,
                rpcs,
                dropped);
    }

    private static Duration percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return Duration.ofNanos(sorted.get(Math.max(0, i)));
    }

    /**
     * What {@link #report()} returns.
     *
     * @param duplicates duplicate copies received, summed over the routers now up (a restarted
     *     router starts again from zero)
     */
    public record Report(
            int published,
            long deliveries,
            Duration p50Latency,
            Duration p99Latency,
            Duration maxLatency,
            long duplicates,
            long rpcsSent,
            long rpcsDropped) {}

    /** RPCs sent so far, and how many of them the network lost. */
    public long rpcsSent() {
        return rpcs;
    }

    public long rpcsDropped() {
        return dropped;
    }

    /**
     * SHA-256 over every event so far (connections, RPCs with their bytes, deliveries, faults):
     * equal for two runs exactly when they behaved identically.
     */
    public String traceHash() {
        try {
            MessageDigest copy = (MessageDigest) trace.clone();
            return HexFormat.of().formatHex(copy.digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- the network

    private void at(long time, Runnable action) {
        events.add(new Event(time, seq++, action));
    }

    private long latency() {
        return maxLatency == minLatency ? minLatency : net.nextLong(minLatency, maxLatency + 1);
    }

    private boolean reachable(int a, int b) {
        return nodes[a].up && nodes[b].up && (side == null || side[a] == side[b]);
    }

    private void redialWanted(int only) {
        for (int a = 0; a < nodes.length; a++) {
            for (int b = a + 1; b < nodes.length; b++) {
                if (wanted[a][b] && !linked[a][b] && (only < 0 || a == only || b == only)) {
                    if (only == b || (only < 0 && dialer[b][a])) {
                        dial(b, a);
                    } else {
                        dial(a, b);
                    }
                }
            }
        }
    }

    private void dial(int a, int b) {
        int ia = nodes[a].incarnation;
        int ib = nodes[b].incarnation;
        at(
                now + latency(),
                () -> {
                    if (linked[a][b]
                            || !reachable(a, b)
                            || nodes[a].incarnation != ia
                            || nodes[b].incarnation != ib) {
                        return;
                    }
                    linked[a][b] = linked[b][a] = true;
                    dialer[a][b] = true;
                    dialer[b][a] = false;
                    epoch[a][b]++;
                    epoch[b][a] = epoch[a][b];
                    record("connect", a, b, epoch[a][b]);
                    nodes[a].router.connected(peerId(b), true, "10.0.0." + b);
                    nodes[b].router.connected(peerId(a), false, "10.0.0." + a);
                    // identify: each side learns the other's signed peer record
                    nodes[a].router.peerRecord(nodes[b].record());
                    nodes[b].router.peerRecord(nodes[a].record());
                    drain(nodes[a]);
                    drain(nodes[b]);
                });
    }

    private void cut(int a, int b) {
        linked[a][b] = linked[b][a] = false;
        record("cut", a, b, epoch[a][b]);
        for (int[] pair : new int[][] {{a, b}, {b, a}}) {
            Node n = nodes[pair[0]];
            if (n.up) {
                n.router.disconnected(peerId(pair[1]));
                drain(n);
            }
        }
    }

    private void scheduleTick(Node n) {
        int inc = n.incarnation;
        at(
                n.router.nextTimer(),
                () -> {
                    if (n.up && n.incarnation == inc) {
                        n.router.tick();
                        drain(n);
                        scheduleTick(n);
                    }
                });
    }

    /** Executes {@code n}'s router outputs. */
    private void drain(Node n) {
        GossipRouter r = n.router;
        GossipRouter.Output o;
        while (r != null && (o = r.poll()) != null) {
            switch (o) {
                case GossipRouter.Send s -> transmit(n.index, indexOf.get(s.peer()), s.rpc());
                case GossipRouter.OpenStream os -> openStream(n.index, indexOf.get(os.peer()));
                case GossipRouter.Dial d -> {
                    // a peer-exchange peer is reached only at the address its verified signed
                    // record gives (the simulated nodes have no other address book)
                    for (Multiaddr addr : d.addresses()) {
                        Integer b = byAddress.get(addr);
                        if (b != null && b.equals(indexOf.get(d.peer()))) {
                            record("px-dial", n.index, b, 0);
                            if (!linked[n.index][b]) {
                                dial(n.index, b);
                            }
                            break;
                        }
                    }
                }
                case GossipRouter.Disconnect d -> {
                    int b = indexOf.get(d.peer());
                    if (linked[n.index][b]) {
                        cut(n.index, b);
                    }
                }
                case GossipRouter.Deliver d -> deliver(n, d);
                case GossipRouter.PeerSubscribed ps -> {}
                case GossipRouter.Rejected rej ->
                        record(
                                "rejected",
                                n.index,
                                indexOf.get(rej.peer()),
                                rej.reason().hashCode());
            }
        }
    }

    private void openStream(int a, int b) {
        int e = epoch[a][b];
        at(
                now + 2 * latency(), // multistream-select: one round trip
                () -> {
                    if (linked[a][b] && epoch[a][b] == e && nodes[a].up) {
                        record("stream", a, b, e);
                        nodes[a].router.outboundStreamOpened(peerId(b), true);
                        drain(nodes[a]);
                    }
                });
    }

    private void transmit(int a, int b, byte[] bytes) {
        byte[] rpc = bytes;
        rpcs++;
        if (!linked[a][b]) {
            return;
        }
        if (loss > 0 && net.nextDouble() < loss) {
            dropped++;
            record("drop", a, b, Arrays.hashCode(rpc));
            return;
        }
        if (nodes[a].silent) {
            Rpc r = Rpc.decode(rpc, Rpc.Limits.defaults());
            if (!r.publish.isEmpty()) {
                r.publish.clear();
                if (r.isEmpty()) {
                    return;
                }
                rpc = r.encode();
            }
        }
        byte[] wire = rpc;
        int e = epoch[a][b];
        long arrival = Math.max(now + latency(), lastArrival[a][b]);
        lastArrival[a][b] = arrival;
        at(
                arrival,
                () -> {
                    if (linked[a][b] && epoch[a][b] == e && nodes[b].up) {
                        record("rpc", a, b, Arrays.hashCode(wire));
                        nodes[b].router.rpc(peerId(a), wire);
                        drain(nodes[b]);
                    }
                });
    }

    private void deliver(Node n, GossipRouter.Deliver d) {
        Integer from = indexOf.get(d.from());
        Delivery delivery = new Delivery(now, n.index, from == null ? -1 : from, d.message());
        n.received.add(delivery);
        record("deliver", n.index, delivery.from(), d.message().id().hashCode());
        for (DeliveryListener l : listeners) {
            l.onDelivery(delivery);
        }
    }

    private void record(String kind, int a, int b, int detail) {
        trace.update(kind.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer.wrap(traceLong).putLong(now);
        trace.update(traceLong);
        ByteBuffer.wrap(traceLong).putInt(a).putInt(b);
        trace.update(traceLong);
        ByteBuffer.wrap(traceLong).putInt(detail).putInt(0);
        trace.update(traceLong);
    }

    /** Builds a {@link Simulation}; every parameter has a default. */
    public static final class Builder {
        private long seed = 1;
        private int nodes = 50;
        private Duration minLatency = Duration.ofMillis(5);
        private Duration maxLatency = Duration.ofMillis(50);
        private double loss;
        private GossipConfig gossip = GossipConfig.defaults();
        private ScoreParams score = ScoreParams.defaults();

        private Builder() {}

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder nodes(int v) {
            nodes = v;
            return this;
        }

        public Builder latency(Duration min, Duration max) {
            minLatency = min;
            maxLatency = max;
            return this;
        }

        /** Probability that one RPC is lost. */
        public Builder loss(double v) {
            loss = v;
            return this;
        }

        public Builder gossip(GossipConfig v) {
            gossip = v;
            return this;
        }

        public Builder score(ScoreParams v) {
            score = v;
            return this;
        }

        public Simulation build() {
            List<String> errors = new ArrayList<>();
            if (nodes < 1) {
                errors.add("nodes >= 1 (got " + nodes + ")");
            }
            if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
                errors.add(
                        "0 <= minLatency <= maxLatency (got "
                                + minLatency
                                + ", "
                                + maxLatency
                                + ")");
            }
            if (!(loss >= 0 && loss < 1)) {
                errors.add("0 <= loss < 1 (got " + loss + ")");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(
                        "invalid simulation: " + String.join("; ", errors));
            }
            return new Simulation(this);
        }
    }
}
