package io.ipdm.mesh.peers;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.json.JsonStrings;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Varint;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-peer records (addresses by preference, RTT and uptime, reputation) kept across restarts, and
 * the one place peers are ranked: {@link #score} combines trust (from the node's {@link
 * TrustList}), reputation and RTT, so anycast and peer selection agree. Fed by the node ({@link
 * PeerMonitor}: connections, identify, pings) and by services that judge peers ({@link #outcome}:
 * integrity challenges, attestation agreement). No I/O but {@link #save()}; the clock is injected.
 * Thread-safe.
 *
 * <p>File: a sequence of varint-length-prefixed {@code Peer} protobuf messages ({@code 1 peer id, 2
 * address (repeated, in preference order), 3 rtt µs, 4 rtt samples, 5 first seen, 6 last seen, 7
 * connected ms, 8 good, 9 bad}), rewritten whole (temporary file, then an atomic move). At most
 * {@link #MAX_PEERS} peers are kept, the least recently seen dropped first.
 */
public final class IdentityStore {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityStore.class);
    public static final int MAX_PEERS = 10_000;
    public static final int MAX_ADDRESSES = 8;
    private static final int OUTCOMES_KEPT = 5;

    /** The RTT assumed for a peer never pinged when ranking. */
    private static final double UNKNOWN_RTT_MILLIS = 200;

    private final Map<PeerId, Entry> peers = new HashMap<>();
    private final TrustList trust;
    private final LongSupplier clock;
    private final Path file;

    private static final class Entry {
        final PeerId peer;
        final List<Multiaddr> addresses = new ArrayList<>();
        double rtt = Double.NaN;
        int samples;
        long firstSeen;
        long lastSeen;
        long connectedMillis;
        long connectedSince;
        int connections;
        long good;
        long bad;
        final Deque<String> outcomes = new ArrayDeque<>();

        Entry(PeerId peer) {
            this.peer = peer;
        }

        PeerInfo info() {
            return new PeerInfo(
                    peer,
                    addresses,
                    rtt,
                    samples,
                    firstSeen,
                    lastSeen,
                    connectedMillis,
                    connectedSince,
                    good,
                    bad,
                    new ArrayList<>(outcomes));
        }
    }

    private IdentityStore(Path file, TrustList trust, LongSupplier clock) {
        this.file = file;
        this.trust = trust;
        this.clock = clock;
    }

    /** A store in memory only. */
    public static IdentityStore inMemory(TrustList trust, LongSupplier clock) {
        return new IdentityStore(null, trust, clock);
    }

    /**
     * The store saved at {@code file} (none yet: empty). A damaged file is reported and the store
     * starts from what could be read: these are measurements, remade as peers are met again.
     */
    public static IdentityStore open(Path file, TrustList trust, LongSupplier clock) {
        IdentityStore s = new IdentityStore(file, trust, clock);
        if (Files.exists(file)) {
            try {
                s.load(Files.readAllBytes(file));
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "identity store {}: {}; continuing with the {} peers read before it",
                        file,
                        e.getMessage(),
                        s.peers.size());
            }
        }
        return s;
    }

    public TrustList trust() {
        return trust;
    }

    private Entry entry(PeerId p) {
        Entry e = peers.get(p);
        if (e == null) {
            if (peers.size() >= MAX_PEERS) {
                evict();
            }
            e = new Entry(p);
            e.firstSeen = clock.getAsLong();
            e.lastSeen = e.firstSeen;
            peers.put(p, e);
        }
        return e;
    }

    private void evict() {
        Entry oldest = null;
        for (Entry e : peers.values()) {
            if (e.connections == 0 && (oldest == null || e.lastSeen < oldest.lastSeen)) {
                oldest = e;
            }
        }
        if (oldest != null) {
            peers.remove(oldest.peer);
        }
    }

    /** A connection to {@code peer} (at {@code remote}) is up. */
    public synchronized void connected(PeerId peer, Multiaddr remote, boolean outbound) {
        Entry e = entry(peer);
        long now = clock.getAsLong();
        if (e.connections++ == 0) {
            e.connectedSince = now;
        }
        e.lastSeen = now;
        if (outbound && remote != null) {
            prefer(e, remote); // it just worked
        }
    }

    public synchronized void disconnected(PeerId peer) {
        Entry e = peers.get(peer);
        if (e == null || e.connections == 0) {
            return;
        }
        long now = clock.getAsLong();
        e.lastSeen = now;
        if (--e.connections == 0) {
            e.connectedMillis += now - e.connectedSince;
            e.connectedSince = 0;
        }
    }

    /** Addresses the peer announced (identify) or another peer introduced, kept after preferred. */
    public synchronized void addresses(PeerId peer, List<Multiaddr> announced) {
        Entry e = entry(peer);
        for (Multiaddr a : announced) {
            Multiaddr bare = a.withoutPeerId();
            if (!e.addresses.contains(bare) && e.addresses.size() < MAX_ADDRESSES) {
                e.addresses.add(bare);
            }
        }
    }

    /** A dial of {@code addr} worked (moves it first) or failed (moves it last). */
    public synchronized void dialed(PeerId peer, Multiaddr addr, boolean ok) {
        Entry e = entry(peer);
        Multiaddr bare = addr.withoutPeerId();
        if (ok) {
            prefer(e, bare);
        } else if (e.addresses.remove(bare)) {
            e.addresses.add(bare);
        }
    }

    private static void prefer(Entry e, Multiaddr a) {
        Multiaddr bare = a.withoutPeerId();
        e.addresses.remove(bare);
        e.addresses.addFirst(bare);
        while (e.addresses.size() > MAX_ADDRESSES) {
            e.addresses.removeLast();
        }
    }

    /** One ping's round-trip time. */
    public synchronized void rtt(PeerId peer, Duration rtt) {
        Entry e = entry(peer);
        double ms = rtt.toNanos() / 1e6;
        e.rtt = e.samples == 0 ? ms : 0.75 * e.rtt + 0.25 * ms;
        e.samples++;
    }

    /**
     * Reports how {@code peer} did, from {@code source} ({@code challenge}, {@code attestation},
     * ...): {@code good} raises its reputation, a bad one lowers it; the reason is kept with the
     * latest few.
     */
    public synchronized void outcome(PeerId peer, String source, boolean good, String reason) {
        Entry e = entry(peer);
        if (good) {
            e.good++;
        } else {
            e.bad++;
        }
        if (e.outcomes.size() >= OUTCOMES_KEPT) {
            e.outcomes.removeFirst();
        }
        e.outcomes.addLast(source + " " + (good ? "good" : "bad") + ": " + reason);
    }

    public synchronized Optional<PeerInfo> get(PeerId peer) {
        Entry e = peers.get(peer);
        return e == null ? Optional.empty() : Optional.of(e.info());
    }

    /** Reputation in (0, 1); 0.5 for a peer without outcomes. */
    public synchronized double reputation(PeerId peer) {
        Entry e = peers.get(peer);
        return e == null ? 0.5 : e.info().reputation();
    }

    /**
     * How good a peer is to ask: reputation, halved for keys the trust list does not name, divided
     * by {@code 1 + rtt / 50 ms} (200 ms assumed before the first ping). Higher is better.
     */
    public synchronized double score(PeerId peer) {
        Entry e = peers.get(peer);
        double rep = e == null ? 0.5 : e.info().reputation();
        double rtt = e == null || e.samples == 0 ? UNKNOWN_RTT_MILLIS : e.rtt;
        double trusted = trust.entry(peer).isPresent() ? 1.0 : 0.5;
        return rep * trusted / (1 + rtt / 50.0);
    }

    /** {@code candidates} best first by {@link #score}; ties by peer id, so the order is stable. */
    public synchronized List<PeerId> rank(Collection<PeerId> candidates) {
        List<PeerId> out = new ArrayList<>(candidates);
        Map<PeerId, Double> s = new HashMap<>();
        for (PeerId p : out) {
            s.put(p, score(p));
        }
        out.sort(
                Comparator.comparing((PeerId p) -> -s.get(p))
                        .thenComparing(Comparator.naturalOrder()));
        return out;
    }

    /**
     * Up to {@code n} peers with known addresses picked at random (peer exchange), none of {@code
     * exclude}.
     */
    public synchronized List<PeerInfo> sample(int n, RandomGenerator random, Set<PeerId> exclude) {
        List<Entry> pool = new ArrayList<>();
        for (Entry e : peers.values()) {
            if (!e.addresses.isEmpty() && !exclude.contains(e.peer)) {
                pool.add(e);
            }
        }
        pool.sort(Comparator.comparing(e -> e.peer)); // stable base for a seeded random
        List<PeerInfo> out = new ArrayList<>();
        for (int i = 0; i < n && !pool.isEmpty(); i++) {
            out.add(pool.remove(random.nextInt(pool.size())).info());
        }
        return out;
    }

    public synchronized int size() {
        return peers.size();
    }

    /** Every peer known, as a snapshot. */
    public synchronized List<PeerInfo> all() {
        return peers.values().stream().map(Entry::info).toList();
    }

    /**
     * Every peer as a JSON array, best first: peer, score, reputation, rtt_ms (null before a ping),
     * uptime, connected, addresses, outcomes.
     */
    public synchronized String toJson() {
        long now = clock.getAsLong();
        StringBuilder sb = new StringBuilder("[");
        for (PeerId p : rank(peers.keySet())) {
            PeerInfo i = peers.get(p).info();
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append("{\"peer\":\"").append(p).append('"');
            sb.append(String.format(java.util.Locale.ROOT, ",\"score\":%.4f", score(p)));
            sb.append(String.format(java.util.Locale.ROOT, ",\"reputation\":%.4f", i.reputation()));
            sb.append(",\"rtt_ms\":")
                    .append(
                            i.rttSamples() == 0
                                    ? "null"
                                    : String.format(java.util.Locale.ROOT, "%.2f", i.rttMillis()));
            sb.append(String.format(java.util.Locale.ROOT, ",\"uptime\":%.4f", i.uptime(now)));
            sb.append(",\"connected\":").append(i.connectedSince() > 0);
            sb.append(",\"trusted\":").append(trust.entry(p).isPresent());
            sb.append(",\"addresses\":[");
            for (int k = 0; k < i.addresses().size(); k++) {
                JsonStrings.quote(k == 0 ? sb : sb.append(','), i.addresses().get(k).toString());
            }
            sb.append("],\"outcomes\":[");
            for (int k = 0; k < i.recentOutcomes().size(); k++) {
                sb.append(k == 0 ? "" : ",");
                JsonStrings.quote(sb, i.recentOutcomes().get(k));
            }
            sb.append("]}");
        }
        return sb.append(']').toString();
    }

    /** Writes the store to its file (no-op in memory). */
    public void save() {
        if (file == null) {
            return;
        }
        byte[] bytes;
        synchronized (this) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Entry e : peers.values()) {
                ProtoWriter w = new ProtoWriter().bytes(1, e.peer.toBytes());
                for (Multiaddr a : e.addresses) {
                    w.bytes(2, a.toBytes());
                }
                long now = clock.getAsLong();
                long connected =
                        e.connectedMillis + (e.connectedSince > 0 ? now - e.connectedSince : 0);
                w.uint64(3, e.samples == 0 ? 0 : Math.round(e.rtt * 1000))
                        .uint64(4, e.samples)
                        .uint64(5, e.firstSeen)
                        .uint64(6, e.lastSeen)
                        .uint64(7, connected)
                        .uint64(8, e.good)
                        .uint64(9, e.bad);
                byte[] m = w.toByteArray();
                out.writeBytes(Varint.encode(m.length));
                out.writeBytes(m);
            }
            bytes = out.toByteArray();
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".peers", ".tmp");
            Files.write(tmp, bytes);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the identity store " + file, e);
        }
    }

    private void load(byte[] bytes) {
        int pos = 0;
        while (pos < bytes.length) {
            Varint.Decoded d = Varint.read(bytes, pos);
            long len = d.value();
            pos += d.length();
            if (len < 0 || len > bytes.length - pos) {
                throw new IllegalArgumentException("entry at offset " + pos + " is cut short");
            }
            ProtoReader r = new ProtoReader(bytes, pos, (int) len, "Peer");
            pos += (int) len;
            Entry e = null;
            List<Multiaddr> addrs = new ArrayList<>();
            long[] f = new long[10];
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> e = new Entry(PeerId.fromBytes(r.bytes()));
                    case 2 -> addrs.add(Multiaddr.fromBytes(r.bytes()));
                    case 3, 4, 5, 6, 7, 8, 9 -> f[r.field()] = r.uint64();
                    default -> r.skip();
                }
            }
            if (e == null) {
                throw new IllegalArgumentException("entry without a peer id");
            }
            e.addresses.addAll(addrs.subList(0, Math.min(addrs.size(), MAX_ADDRESSES)));
            e.samples = (int) f[4];
            e.rtt = e.samples == 0 ? Double.NaN : f[3] / 1000.0;
            e.firstSeen = f[5];
            e.lastSeen = f[6];
            e.connectedMillis = f[7];
            e.good = f[8];
            e.bad = f[9];
            if (peers.size() < MAX_PEERS) {
                peers.put(e.peer, e);
            }
        }
    }
}
