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
        assertThat(nd.status()).isEqualTo(200);
        assertThat(nd.headers()).containsEntry("Content-Type", "application/x-ndjson");
        assertThat(drain(nd).split("\n")).hasSize(4); // the lookup runs as the lines are written
        assertThat(askedMax[0]).isEqualTo(4);
    }

    /** The NDJSON lines a streamed reply writes (its own answer's body when it wrote none). */
    static String drain(Responder.Reply r) {
        StringBuilder out = new StringBuilder();
        Responder.Reply instead =
                r.streamed().run(b -> out.append(new String(b, StandardCharsets.UTF_8)));
        return instead == null ? out.toString() : instead.status() + " " + drainBody(instead);
    }

    private static String drainBody(Responder.Reply r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /**
     * Each NDJSON record is written when the backend finds it: the first line is out while the
     * lookup still waits (here on a latch the test opens only after seeing that line); a peer found
     * twice is written once; nothing found is the 404 answer, not an empty 200.
     */
    @Test
    void ndjsonLinesAreWrittenAsTheLookupFindsThem() throws Exception {
        Peer first = new Peer(A, List.of(TCP), List.of("transport-bitswap"));
        Peer second =
                new Peer(
                        Ed25519KeyPair.generate().peerId(),
                        List.of(WS),
                        List.of("transport-bitswap"));
        CountDownLatch firstWritten = new CountDownLatch(1);
        boolean[] lookupWasRunning = {false};
        RoutingV1 r =
                new RoutingV1(
                        new Streaming(
                                found -> {
                                    found.accept(first);
                                    found.accept(first); // again, e.g. local record then DHT
                                    firstWritten.await();
                                    found.accept(second);
                                }),
                        RoutingV1.Limits.DEFAULT,
                        Clock.systemUTC());
        Responder.Reply nd =
                r.respond(
                        "GET",
                        "/routing/v1/providers/bafkqaaa",
                        "application/x-ndjson",
                        null,
                        null);
        List<String> lines = new java.util.ArrayList<>();
        Responder.Reply instead =
                nd.streamed()
                        .run(
                                b -> {
                                    lines.add(new String(b, StandardCharsets.UTF_8));
                                    if (lines.size() == 1) {
                                        lookupWasRunning[0] = firstWritten.getCount() == 1;
                                        firstWritten.countDown();
                                    }
                                });
        assertThat(instead).isNull();
        assertThat(lookupWasRunning[0]).isTrue();
        assertThat(lines)
                .containsExactly(
                        RoutingV1.json(new StringBuilder(), first) + "\n",
                        RoutingV1.json(new StringBuilder(), second) + "\n");

        Responder.Reply none =
                new RoutingV1(
                                new Streaming(found -> {}),
                                RoutingV1.Limits.DEFAULT,
                                Clock.systemUTC())
                        .respond(
                                "GET",
                                "/routing/v1/providers/bafkqaaa",
                                "application/x-ndjson",
                                null,
                                null);
        assertThat(drain(none)).isEqualTo("404 no providers of bafkqaaa found\n");
        // JSON merges a peer found twice into one record with both addresses
        Responder.Reply json =
                new RoutingV1(
                                new Streaming(
                                        found -> {
                                            found.accept(first);
                                            found.accept(new Peer(A, List.of(WS), List.of()));
                                        }),
                                RoutingV1.Limits.DEFAULT,
                                Clock.systemUTC())
                        .respond("GET", "/routing/v1/providers/bafkqaaa", null, null, null);
        assertThat(drainBody(json))
                .isEqualTo(
                        "{\"Providers\":["
                                + RoutingV1.json(
                                        new StringBuilder(),
                                        new Peer(A, List.of(TCP, WS), first.protocols()))
                                + "]}");
    }

    @FunctionalInterface
    interface Finder {
        void find(java.util.function.Consumer<Peer> found) throws InterruptedException;
    }

    /** A backend whose provider lookup is {@code finder}. */
    private static final class Streaming implements RoutingV1Backend {
        private final Finder finder;
        private final RoutingV1Backend rest = backend((cid, max) -> List.of());

        Streaming(Finder finder) {
            this.finder = finder;
        }

        @Override
        public void providers(
                Cid cid, int max, Duration timeout, java.util.function.Consumer<Peer> found)
                throws InterruptedException {
            finder.find(found);
        }

        @Override
        public List<Peer> peers(PeerId peer, Duration timeout) throws InterruptedException {
            return rest.peers(peer, timeout);
        }

        @Override
        public List<Peer> closestPeers(byte[] key, int max, Duration timeout)
                throws InterruptedException {
            return rest.closestPeers(key, max, timeout);
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
            public void providers(
                    Cid cid, int max, Duration timeout, java.util.function.Consumer<Peer> found)
                    throws InterruptedException {
                providers.find(cid, max).forEach(found);
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
