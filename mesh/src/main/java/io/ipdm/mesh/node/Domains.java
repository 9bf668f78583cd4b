package io.ipdm.mesh.node;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.peers.IdentityStore;
import io.ipdm.mesh.peers.PeerInfo;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.mesh.reqresp.RequestResponse;
import io.ipdm.mesh.transport.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Domains: named groups of nodes, each member advertised by a signed record {@code domain/<name>}
 * authored by the member's node key (value: its listen addresses, one per line), so adverts spread
 * and catch up like every record. {@link #anycast} sends a request to one member, the best by
 * {@link IdentityStore#score} (trust, reputation, RTT), and on failure to the next, up to {@value
 * #ATTEMPTS} members.
 */
public final class Domains {
    public static final String PREFIX = "domain/";
    public static final int ATTEMPTS = 3;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final MeshNode mesh;
    private final RecordService records;
    private final IdentityStore identities;
    private final Clock clock;

    public Domains(MeshNode mesh, RecordService records, IdentityStore identities, Clock clock) {
        this.mesh = mesh;
        this.records = records;
        this.identities = identities;
        this.clock = clock;
    }

    /** Null when {@code name} is a valid domain name, else why not. */
    public static String checkName(String name) {
        return NAME.matcher(name).matches()
                ? null
                : "domain name '"
                        + name
                        + "' must be 1-64 of a-z, 0-9, '.', '_', '-' starting with a letter or"
                        + " digit";
    }

    /** Advertises this node as a member of {@code domain} (a new version each call). */
    public void join(String domain) {
        String bad = checkName(domain);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        StringBuilder addrs = new StringBuilder();
        for (Multiaddr a : mesh.addresses()) {
            addrs.append(a.withoutPeerId()).append('\n');
        }
        records.publish(
                SignedRecord.sign(
                        mesh.host().identity(),
                        (PREFIX + domain).getBytes(StandardCharsets.UTF_8),
                        addrs.toString().getBytes(StandardCharsets.UTF_8),
                        clock.millis()));
    }

    /** The members advertised for {@code domain}, this node included if it joined. */
    public List<PeerId> members(String domain) {
        Set<PeerId> out = new LinkedHashSet<>();
        byte[] key = (PREFIX + domain).getBytes(StandardCharsets.UTF_8);
        for (SignedRecord r : records.records(PREFIX + domain)) {
            if (java.util.Arrays.equals(r.key(), key)) {
                out.add(r.authorId());
                List<Multiaddr> addrs = new ArrayList<>();
                for (String line : new String(r.value(), StandardCharsets.UTF_8).split("\n")) {
                    try {
                        if (!line.isBlank()) {
                            addrs.add(Multiaddr.parse(line.strip()));
                        }
                    } catch (RuntimeException ignored) {
                        // an advert's bad address is skipped; the others still serve
                    }
                }
                identities.addresses(r.authorId(), addrs);
            }
        }
        return new ArrayList<>(out);
    }

    /** The answer of an anycast: who answered, the response, and who was tried before. */
    public record Answer(PeerId peer, byte[] response, List<String> failed) {}

    /**
     * Sends {@code request} on {@code protocol} to the best other member of {@code domain}, then to
     * the next on failure; fails naming every member tried and why.
     */
    public CompletableFuture<Answer> anycast(
            String domain, String protocol, byte[] request, int maxResponse, Duration timeout) {
        List<PeerId> ranked = new ArrayList<>(identities.rank(members(domain)));
        ranked.remove(mesh.peerId());
        if (ranked.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException(
                            "anycast to domain "
                                    + domain
                                    + ": no member is known (no domain/"
                                    + domain
                                    + " advert received)"));
        }
        CompletableFuture<Answer> out = new CompletableFuture<>();
        attempt(domain, ranked, 0, protocol, request, maxResponse, timeout, new ArrayList<>(), out);
        return out;
    }

    private void attempt(
            String domain,
            List<PeerId> ranked,
            int i,
            String protocol,
            byte[] request,
            int maxResponse,
            Duration timeout,
            List<String> failed,
            CompletableFuture<Answer> out) {
        if (i >= Math.min(ATTEMPTS, ranked.size())) {
            out.completeExceptionally(
                    new IllegalStateException(
                            "anycast to domain "
                                    + domain
                                    + ": every member tried failed: "
                                    + failed));
            return;
        }
        PeerId peer = ranked.get(i);
        connect(peer, timeout)
                .thenCompose(
                        c -> RequestResponse.request(c, protocol, request, maxResponse, timeout))
                .whenComplete(
                        (resp, e) -> {
                            if (e == null) {
                                out.complete(new Answer(peer, resp, List.copyOf(failed)));
                            } else {
                                Throwable c =
                                        e instanceof java.util.concurrent.CompletionException
                                                ? e.getCause()
                                                : e;
                                failed.add(peer + ": " + c.getMessage());
                                attempt(
                                        domain,
                                        ranked,
                                        i + 1,
                                        protocol,
                                        request,
                                        maxResponse,
                                        timeout,
                                        failed,
                                        out);
                            }
                        });
    }

    private CompletableFuture<Connection> connect(PeerId peer, Duration timeout) {
        // The connection table belongs to the event loop: read it there.
        return mesh.host()
                .onLoop(() -> mesh.host().connection(peer))
                .thenCompose(
                        c ->
                                c != null
                                        ? CompletableFuture.completedFuture(c)
                                        : dial(peer, timeout));
    }

    private CompletableFuture<Connection> dial(PeerId peer, Duration timeout) {
        List<Multiaddr> addrs = identities.get(peer).map(PeerInfo::addresses).orElse(List.of());
        if (addrs.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("not connected and no address known"));
        }
        Multiaddr a = addrs.getFirst().withPeerId(peer);
        return mesh.host()
                .dial(a)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((conn, e) -> identities.dialed(peer, a, e == null));
    }
}
