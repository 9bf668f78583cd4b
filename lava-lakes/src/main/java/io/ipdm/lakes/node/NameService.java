package io.ipdm.lakes.node;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsException;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.kad.KadNetwork;
import io.ipdm.mesh.kad.PutValueResult;
import io.ipdm.mesh.kad.ValueResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's IPNS name (its peer id): publishes records signed with the node key through the DHT,
 * resolves any name through the DHT (verifying the record), and republishes its own record before
 * it expires. What was last published (value, lifetime, TTL, sequence, when) is kept in {@code
 * LAKE/ipns/self.properties}, so the sequence keeps rising across restarts.
 *
 * <p>Republishing is a timer on the injected clock: {@link #republishIfDue()} publishes when due
 * and answers how long until it wants to be called again; the node's task thread only waits that
 * long (so tests drive it with a simulated clock). A record is republished (same value, lifetime
 * and TTL, sequence + 1) every {@code republishEvery}, but never later than half its lifetime, so
 * it is renewed well before it expires; a republish that no DHT peer stored is retried after {@link
 * #RETRY}.
 */
public final class NameService {
    private static final Logger LOG = LoggerFactory.getLogger(NameService.class);
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    /** DHT peers drop records after 48 h, so a longer lifetime buys nothing (IPNS spec). */
    public static final Duration MAX_LIFETIME = Duration.ofHours(48);

    /** The default republish interval (at most; half the lifetime when that is shorter). */
    public static final Duration DEFAULT_REPUBLISH = Duration.ofHours(4);

    /** How soon a republish that reached no DHT peer is tried again. */
    static final Duration RETRY = Duration.ofMinutes(1);

    /** What a publish did: the record and the DHT peers that stored it. */
    public record Published(IpnsRecord record, PutValueResult put) {}

    private final Ed25519KeyPair key;
    private final KadNetwork dht;
    private final Path file;
    private final Clock clock;
    private final Duration timeout;
    private final Duration republishEvery;
    private Properties last;
    private Instant retryAt;

    NameService(
            Ed25519KeyPair key,
            KadNetwork dht,
            Path file,
            Clock clock,
            Duration timeout,
            Duration republishEvery)
            throws IOException {
        if (republishEvery.isNegative() || republishEvery.isZero()) {
            throw new IllegalArgumentException(
                    "ipns-republish must be positive, got " + republishEvery);
        }
        this.key = key;
        this.dht = dht;
        this.file = file;
        this.clock = clock;
        this.timeout = timeout;
        this.republishEvery = republishEvery;
        this.last = load(file);
    }

    /** The DHT it publishes to and resolves through. */
    KadNetwork dht() {
        return dht;
    }

    public PeerId name() {
        return key.peerId();
    }

    /** The last published value, sequence and time, or null when nothing was published. */
    public synchronized Properties last() {
        return last == null ? null : (Properties) last.clone();
    }

    /**
     * Signs a record naming {@code value} with the next sequence, saves it and puts it to the DHT
     * peers closest to the name.
     *
     * @throws IpnsException for a bad value or lifetime
     */
    public synchronized Published publish(String value, Duration lifetime, Duration ttl)
            throws InterruptedException {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IpnsException(
                    "lifetime " + lifetime + " must be more than 0 and at most 48h");
        }
        long seq = last == null ? 0 : Long.parseLong(last.getProperty("sequence")) + 1;
        Instant now = clock.instant();
        IpnsRecord r = IpnsRecord.create(key, value, now.plus(lifetime), seq, ttl);
        Properties p = new Properties();
        p.setProperty("value", value);
        p.setProperty("lifetime", lifetime.toString());
        p.setProperty("ttl", ttl.toString());
        p.setProperty("sequence", Long.toString(seq));
        p.setProperty("published", now.toString());
        p.setProperty("validity", r.validity().toString());
        save(p);
        last = p;
        retryAt = null;
        return new Published(r, await(dht.putValue(IpnsRecord.routingKey(name()), r.entry())));
    }

    /** When the record last published is due to be republished, or null when there is none. */
    public synchronized Instant republishDue() {
        if (last == null) {
            return null;
        }
        if (retryAt != null) {
            return retryAt;
        }
        Duration half = Duration.parse(last.getProperty("lifetime")).dividedBy(2);
        Duration every = republishEvery.compareTo(half) < 0 ? republishEvery : half;
        return Instant.parse(last.getProperty("published")).plus(every);
    }

    /**
     * Finds {@code name}'s best record through the DHT and verifies it; null when no peer holds
     * one.
     */
    public IpnsRecord resolve(PeerId name) throws InterruptedException {
        ValueResult v = await(dht.getValue(IpnsRecord.routingKey(name), timeout));
        // the DHT validated it already; verified again to get its fields
        return v.value() == null
                ? null
                : IpnsRecord.verify(name, v.value(), clock.instant().toEpochMilli());
    }

    /**
     * Republishes our record if it is due at the clock's time; returns how long until this wants to
     * be called again (the timer to set), or null when nothing was published.
     */
    Duration republishIfDue() {
        Instant due;
        Properties p;
        synchronized (this) {
            due = republishDue();
            p = last;
        }
        if (due == null) {
            return null;
        }
        Instant now = clock.instant();
        if (now.isBefore(due)) {
            return Duration.between(now, due);
        }
        try {
            Published pub =
                    publish(
                            p.getProperty("value"),
                            Duration.parse(p.getProperty("lifetime")),
                            Duration.parse(p.getProperty("ttl")));
            if (pub.put().storedBy().isEmpty()) {
                LOG.warn(
                        "republished /ipns/{} (sequence {}) but no DHT peer stored it; retrying in"
                                + " {}",
                        name(),
                        pub.record().sequence(),
                        RETRY);
                retry(now);
            } else {
                LOG.info(
                        "republished /ipns/{} -> {} (sequence {}, stored by {} peers)",
                        name(),
                        pub.record().value(),
                        pub.record().sequence(),
                        pub.put().storedBy().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RETRY;
        } catch (RuntimeException e) {
            LOG.warn("republishing /ipns/{} failed: {}; retrying in {}", name(), e, RETRY);
            retry(now);
        }
        Instant next = republishDue();
        return Duration.between(now, next).isNegative()
                ? Duration.ZERO
                : Duration.between(now, next);
    }

    private synchronized void retry(Instant now) {
        retryAt = now.plus(RETRY);
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> f) throws InterruptedException {
        try {
            return f.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IpnsException("the DHT failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IpnsException("the DHT did not answer within " + timeout);
        }
    }

    private void save(Properties p) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "the node's last IPNS publication; the sequence continues from here");
            }
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file + ": " + e.getMessage(), e);
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return null;
        }
        for (String k : new String[] {"value", "lifetime", "ttl", "sequence", "published"}) {
            if (p.getProperty(k) == null) {
                throw new IOException(
                        file + " lacks '" + k + "'; delete it to start a new sequence at 0");
            }
        }
        try {
            Long.parseLong(p.getProperty("sequence"));
            Duration.parse(p.getProperty("lifetime"));
            Duration.parse(p.getProperty("ttl"));
            Instant.parse(p.getProperty("published"));
        } catch (RuntimeException e) {
            throw new IOException(file + " is damaged (" + e.getMessage() + "); fix or delete it");
        }
        return p;
    }
}
