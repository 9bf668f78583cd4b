package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.gateway.RoutingV1Backend.Peer;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The routing API's decisions without sockets: IPIP-484 filters, Accept negotiation, the result
 * limits and the cap on lookups running at once.
 */
class RoutingV1Test {
    private static final PeerId A = Ed25519KeyPair.generate().peerId();
    private static final Multiaddr TCP = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
    private static final Multiaddr WS = Multiaddr.parse("/ip4/127.0.0.1/tcp/4002/ws");

    @Test
    void filtersKeepMatchingProtocolsAndAddresses() {
        Peer bitswap = new Peer(A, List.of(TCP, WS), List.of("transport-bitswap"));
        Peer unknown = new Peer(A, List.of(TCP), List.of());
        List<Peer> all = List.of(bitswap, unknown);
        assertThat(RoutingV1.filter(all, "transport-bitswap", null)).containsExactly(bitswap);
        assertThat(RoutingV1.filter(all, "unknown", null)).containsExactly(unknown);
        assertThat(RoutingV1.filter(all, null, "!ws"))
                .containsExactly(new Peer(A, List.of(TCP), bitswap.protocols()), unknown);
        assertThat(RoutingV1.filter(all, null, "ws"))
                .containsExactly(new Peer(A, List.of(WS), bitswap.protocols()));
        assertThat(RoutingV1.filter(all, "", "")).isEqualTo(all);
    }

    @Test
    void acceptListsTheTypeWithAPositiveQuality() {
        assertThat(
                        RoutingV1.accepts(
                                "application/x-ndjson, application/json;q=0.8",
                                "application/x-ndjson"))
                .isTrue();
        assertThat(RoutingV1.accepts("application/x-ndjson;q=0", "application/x-ndjson")).isFalse();
        assertThat(RoutingV1.accepts("*/*", "application/x-ndjson")).isFalse();
        assertThat(RoutingV1.accepts("*/*", IpnsRecord.MEDIA_TYPE)).isTrue();
        assertThat(RoutingV1.accepts(null, IpnsRecord.MEDIA_TYPE)).isFalse();
    }

    @Test
    void jsonAnswersAreCutToTheLimitAndNdjsonCarriesMore() {
        List<Peer> many =
                java.util.stream.IntStream.range(0, 5)
                        .mapToObj(
                                i ->
                                        new Peer(
                                                Ed25519KeyPair.generate().peerId(),
                                                List.of(),
                                                List.of()))
                        .toList();
        int[] askedMax = {0};
        RoutingV1 r =
                new RoutingV1(
                        backend(
                                (cid, max) -> {
                                    askedMax[0] = max;
                                    return many.subList(0, Math.min(max, many.size()));
                                }),
                        new RoutingV1.Limits(2, 4, Duration.ofSeconds(1), 1),
                        Clock.systemUTC());
        String cid = "bafkqaaa";
        Responder.Reply json = r.respond("GET", "/routing/v1/providers/" + cid, null, null, null);
        assertThat(askedMax[0]).isEqualTo(2);
        assertThat(new String(json.body(), StandardCharsets.UTF_8).split("\"Schema\"")).hasSize(3);
        Responder.Reply nd =
                r.respond(
                        "GET", "/routing/v1/providers/" + cid, "application/x-ndjson", null, null);
        assertThat(askedMax[0]).isEqualTo(4);
        assertThat(new String(nd.body(), StandardCharsets.UTF_8).split("\n")).hasSize(4);
    }

    @Test
    void lookupsBeyondTheCapAreAnswered429() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RoutingV1 r =
                new RoutingV1(
                        backend(
                                (cid, max) -> {
                                    inside.countDown();
                                    release.await();
                                    return List.of(new Peer(A, List.of(TCP), List.of()));
                                }),
                        new RoutingV1.Limits(10, 10, Duration.ofSeconds(1), 1),
                        Clock.systemUTC());
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Responder.Reply> first =
                    ex.submit(
                            () ->
                                    r.respond(
                                            "GET",
                                            "/routing/v1/providers/bafkqaaa",
                                            null,
                                            null,
                                            null));
            inside.await();
            Responder.Reply second =
                    r.respond("GET", "/routing/v1/providers/bafkqaaa", null, null, null);
            assertThat(second.status()).isEqualTo(429);
            assertThat(second.headers()).containsEntry("Retry-After", "1");
            release.countDown();
            assertThat(first.get().status()).isEqualTo(200);
            assertThat(
                            r.respond("GET", "/routing/v1/providers/bafkqaaa", null, null, null)
                                    .status())
                    .isEqualTo(200);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void ipnsWithoutADhtIsNotImplemented() {
        RoutingV1 r =
                new RoutingV1(
                        backend((cid, max) -> List.of()),
                        RoutingV1.Limits.DEFAULT,
                        Clock.systemUTC());
        Responder.Reply get =
                r.respond(
                        "GET",
                        "/routing/v1/ipns/" + A.toCidString(),
                        IpnsRecord.MEDIA_TYPE,
                        null,
                        null);
        assertThat(get.status()).isEqualTo(501);
        assertThat(get.headers()).containsEntry("Access-Control-Allow-Origin", "*");
        Responder.Reply bad =
                r.respond("GET", "/routing/v1/ipns/nope", IpnsRecord.MEDIA_TYPE, null, null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(new String(bad.body(), StandardCharsets.UTF_8))
                .startsWith("'nope' is not an IPNS name");
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new RoutingV1.Limits(0, 1, Duration.ofSeconds(1), 1))
                .hasMessageStartingWith("routing limits must be at least 1");
        assertThatThrownBy(() -> new RoutingV1.Limits(1, 1, Duration.ZERO, 1))
                .hasMessage("routing lookup timeout must be positive, got PT0S");
    }

    @FunctionalInterface
    interface Providers {
        List<Peer> find(Cid cid, int max) throws InterruptedException;
    }

    /** An in-memory routing source: providers from {@code providers}, no peers, no names. */
    static RoutingV1Backend backend(Providers providers) {
        return new RoutingV1Backend() {
            @Override
            public List<Peer> providers(Cid cid, int max, Duration timeout)
                    throws InterruptedException {
                return providers.find(cid, max);
            }

            @Override
            public List<Peer> peers(PeerId peer, Duration timeout) {
                return List.of();
            }

            @Override
            public List<Peer> closestPeers(byte[] key, int max, Duration timeout) {
                return List.of();
            }

            @Override
            public boolean servesNames() {
                return false;
            }

            @Override
            public IpnsRecord resolveName(PeerId name, Duration timeout) {
                return null;
            }

            @Override
            public void publishName(IpnsRecord record, Duration timeout) {}
        };
    }
}
