package io.ipdm.mesh.peers;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.Domains;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import io.ipdm.mesh.node.RecordService;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.reqresp.RequestResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerExchangeAndDomainsTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final String ECHO = "/test/echo/1.0.0";
    private final List<AutoCloseable> open = new ArrayList<>();

    private record Node(MeshNode mesh, RecordService records, PeerMonitor peers, Domains domains) {}

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private Node node(List<Multiaddr> bootstrap) {
        MeshNode m = MeshNode.start(MeshNodeConfig.of(List.of(ANY), bootstrap, List.of()));
        open.add(m);
        RecordService r =
                RecordService.start(m, new RecordStore(), RecordService.Config.defaults());
        open.add(r);
        IdentityStore ids = IdentityStore.inMemory(TrustList.EMPTY, System::currentTimeMillis);
        PeerMonitor pm = PeerMonitor.start(m, ids, Duration.ofMillis(200), Duration.ofHours(1));
        open.add(pm);
        String me = m.peerId().toString();
        RequestResponse.serve(
                m.host(),
                ECHO,
                1024,
                req ->
                        CompletableFuture.completedFuture(
                                (me + ":" + new String(req, StandardCharsets.UTF_8))
                                        .getBytes(StandardCharsets.UTF_8)));
        return new Node(m, r, pm, new Domains(m, r, ids, Clock.systemUTC()));
    }

    @Test
    void aPeerIntroducesOthersAndAnycastPicksTheBestMemberThenFallsBack() throws Exception {
        Node hub = node(List.of());
        Node b = node(hub.mesh().addresses());
        Node c = node(hub.mesh().addresses());
        Node a = node(hub.mesh().addresses());
        await(() -> hub.mesh().host().connections().size() == 3);
        // Each end registers a connection when its own upgrade finishes, and the listener (the
        // hub) finishes first: the hub counting a says nothing of a's side, so wait for that too.
        await(
                () ->
                        a.mesh().host().connections().stream()
                                .anyMatch(x -> x.remotePeer().equals(hub.mesh().peerId())));
        await(
                () ->
                        hub.peers()
                                        .store()
                                        .get(b.mesh().peerId())
                                        .map(p -> !p.addresses().isEmpty())
                                        .orElse(false)
                                && hub.peers()
                                        .store()
                                        .get(c.mesh().peerId())
                                        .map(p -> !p.addresses().isEmpty())
                                        .orElse(false));

        // peer exchange: a asks the hub to introduce others, and learns b's and c's addresses
        List<PeerExchangeCodec.Intro> intros =
                a.peers().exchange(hub.mesh().peerId(), 10).get(10, TimeUnit.SECONDS);
        assertThat(intros)
                .extracting(PeerExchangeCodec.Intro::peer)
                .containsExactlyInAnyOrder(b.mesh().peerId(), c.mesh().peerId());
        assertThat(a.peers().store().get(c.mesh().peerId()).orElseThrow().addresses()).isNotEmpty();

        // domains: b and c join "verifiers"; a learns the adverts by gossip
        b.domains().join("verifiers");
        c.domains().join("verifiers");
        await(() -> a.domains().members("verifiers").size() == 2);
        // b has a bad record with a: c is the best member
        for (int i = 0; i < 4; i++) {
            a.peers().store().outcome(b.mesh().peerId(), "challenge", false, "lost a block");
        }
        Domains.Answer first =
                a.domains()
                        .anycast(
                                "verifiers",
                                ECHO,
                                "hi".getBytes(StandardCharsets.UTF_8),
                                1024,
                                Duration.ofSeconds(10))
                        .get(30, TimeUnit.SECONDS);
        assertThat(first.peer()).isEqualTo(c.mesh().peerId());
        assertThat(new String(first.response(), StandardCharsets.UTF_8))
                .isEqualTo(c.mesh().peerId() + ":hi");
        // c goes away: the request falls back to b, saying why c failed
        PeerId gone = c.mesh().peerId();
        open.remove(c.mesh());
        c.mesh().close();
        Domains.Answer second =
                a.domains()
                        .anycast(
                                "verifiers",
                                ECHO,
                                "again".getBytes(StandardCharsets.UTF_8),
                                1024,
                                Duration.ofSeconds(5))
                        .get(60, TimeUnit.SECONDS);
        assertThat(second.peer()).isEqualTo(b.mesh().peerId());
        assertThat(second.failed()).singleElement().asString().startsWith(gone + ": ");

        assertThatThrownBy(
                        () ->
                                a.domains()
                                        .anycast(
                                                "nobody",
                                                ECHO,
                                                new byte[0],
                                                10,
                                                Duration.ofSeconds(1))
                                        .get(10, TimeUnit.SECONDS))
                .hasMessageContaining(
                        "anycast to domain nobody: no member is known (no domain/nobody advert received)");
        assertThat(Domains.checkName("Bad Name")).contains("must be 1-64 of a-z");
    }
}
