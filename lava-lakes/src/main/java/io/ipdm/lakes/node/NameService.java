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
 */
public final class NameService {
    private static final Logger LOG = LoggerFactory.getLogger(NameService.class);
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    /** DHT peers drop records after 48 h, so a longer lifetime buys nothing (IPNS spec). */
    public static final Duration MAX_LIFETIME = Duration.ofHours(48);

    /** Republished at the latest this long after publishing, well before peers forget it. */
    static final Duration MAX_REPUBLISH_INTERVAL = Duration.ofHours(4);

    /** What a publish did: the record and the DHT peers that stored it. */
    public record Published(IpnsRecord record, PutValueResult put) {}

    private final Ed25519KeyPair key;
    private final KadNetwork dht;
    private final Path file;
    private final Clock clock;
    private final Duration timeout;
    private Properties last;

    NameService(Ed25519KeyPair key, KadNetwork dht, Path file, Clock clock, Duration timeout)
            throws IOException {
        this.key = key;
        this.dht = dht;
        this.file = file;
        this.clock = clock;
        this.timeout = timeout;
        this.last = load(file);
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
        return new Published(r, await(dht.putValue(IpnsRecord.routingKey(name()), r.entry())));
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

    /** Republishes our record when half its lifetime (at most 4 h) has passed. */
    void republishIfDue() {
        Properties p;
        synchronized (this) {
            p = last;
        }
        if (p == null) {
            return;
        }
        Duration lifetime = Duration.parse(p.getProperty("lifetime"));
        Duration every = lifetime.dividedBy(2);
        if (every.compareTo(MAX_REPUBLISH_INTERVAL) > 0) {
            every = MAX_REPUBLISH_INTERVAL;
        }
        Instant due = Instant.parse(p.getProperty("published")).plus(every);
        if (clock.instant().isBefore(due)) {
            return;
        }
        try {
            Published pub =
                    publish(p.getProperty("value"), lifetime, Duration.parse(p.getProperty("ttl")));
            LOG.info(
                    "republished /ipns/{} -> {} (sequence {}, stored by {} peers)",
                    name(),
                    pub.record().value(),
                    pub.record().sequence(),
                    pub.put().storedBy().size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("republishing /ipns/{} failed: {}", name(), e.toString());
        }
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
