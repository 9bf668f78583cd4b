package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.verify.Attestation;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.RecordService;
import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.SignedRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeNodeRecordsTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final Ed25519KeyPair author = Ed25519KeyPair.generate();

    private static NodeConfig config(Path lake, List<Multiaddr> bootstrap, TrustList trust) {
        return config(lake, bootstrap, trust, List.of());
    }

    private static NodeConfig config(
            Path lake, List<Multiaddr> bootstrap, TrustList trust, List<String> domains) {
        return NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), lake)
                .listen(List.of(ANY))
                .bootstrap(bootstrap)
                .trust(trust)
                .domains(domains)
                .build();
    }

    private static final String SUB = DurabilityService.SUBSCRIPTION_PREFIX;
    private static final String ATT = Attestation.KEY_PREFIX;

    private SignedRecord rec(String key, long v) {
        return sign(author, key, v);
    }

    private static SignedRecord sign(Ed25519KeyPair key, String k, long v) {
        return SignedRecord.sign(key, k.getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}, v);
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }

    private static String get(String uri) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create(uri)).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }

    @Test
    void nodesShareSignedRecordsKeepThemAcrossRestartsAndShowCounters(@TempDir Path dir)
            throws Exception {
        // records of the kinds a node stores (RecordKinds), from an author the trust lists allow
        TrustList trust =
                TrustList.of(
                        List.of(
                                new TrustList.Entry(
                                        author.peerId(),
                                        "author",
                                        Set.of("subscribe", "attest"),
                                        "t:1:1")));
        try (LakeNode a =
                LakeNode.start(config(dir.resolve("a"), List.of(), trust), IpfsNetwork::install)) {
            assertThat(a.trust().trusts(author.peerId(), "subscribe")).isTrue();
            try (LakeNode b =
                    LakeNode.start(
                            config(dir.resolve("b"), a.mesh().addresses(), trust),
                            IpfsNetwork::install)) {
                a.mesh().gossip().awaitTopicPeer(RecordService.TOPIC).get(30, TimeUnit.SECONDS);
                a.records().publish(rec(SUB + "1", 1));
                await(() -> b.records().store().size() == 1);
                String status = get(b.adminUri() + "/status");
                assertThat(status).contains("\"records\":{\"records\":1,");
                assertThat(b.metrics().scrape()).contains("\nipdm_node_records 1\n");
                assertThat(get(b.adminUri() + "/records"))
                        .startsWith(
                                "{\"records\":1,\"file\":\""
                                        + dir.resolve("b/records/records.log")
                                        + "\"");
            }
            // b was down while these were made; after a restart it has the first from its log
            // and catches up on the others from a
            for (int i = 0; i < 20; i++) {
                a.records().publish(rec(ATT + i, 1));
            }
            try (LakeNode b =
                    LakeNode.start(
                            config(dir.resolve("b"), a.mesh().addresses(), trust),
                            IpfsNetwork::install)) {
                assertThat(b.records().records(SUB)).hasSize(1);
                await(() -> b.records().store().size() == 21);
                // counted when the session ends, just after the records are stored
                await(() -> b.records().status().syncRecordsAccepted() == 20);
            }
        }
    }

    /**
     * A node stores records only from authors its trust list allows for the record's kind:
     * subscriptions need {@code subscribe}, attestations {@code attest} (any key without a trust
     * list), domain adverts any key; other kinds are refused. Refused records are not stored here
     * and so never reach a peer.
     */
    @Test
    void recordsAreAcceptedOnlyFromAuthorsAllowedForTheirKind(@TempDir Path dir) throws Exception {
        Ed25519KeyPair attestor = Ed25519KeyPair.generate();
        TrustList trust =
                TrustList.of(
                        List.of(
                                new TrustList.Entry(
                                        author.peerId(), "author", Set.of("subscribe"), "t:1:1"),
                                new TrustList.Entry(
                                        attestor.peerId(), "attestor", Set.of("attest"), "t:2:1")));
        try (LakeNode a =
                        LakeNode.start(
                                config(dir.resolve("a"), List.of(), trust), IpfsNetwork::install);
                LakeNode b =
                        LakeNode.start(
                                config(dir.resolve("b"), a.mesh().addresses(), trust),
                                IpfsNetwork::install)) {
            a.mesh().gossip().awaitTopicPeer(RecordService.TOPIC).get(30, TimeUnit.SECONDS);
            assertThat(a.records().publish(sign(attestor, SUB + "x", 1)).outcome())
                    .isEqualTo(PutResult.Outcome.UNAUTHORIZED);
            PutResult r = a.records().publish(rec(ATT + "x", 1));
            assertThat(r.outcome()).isEqualTo(PutResult.Outcome.UNAUTHORIZED);
            assertThat(r.reason())
                    .endsWith(
                            author.peerId()
                                    + " may not author attestation records here (it needs the"
                                    + " 'attest' role in the trust list); refused");
            assertThat(a.records().publish(rec("notes/1", 1)).reason())
                    .endsWith(
                            "no record kind of this node has its key; it stores only"
                                    + " subscription/, ipdm/attest/v1/, domain/; refused");

            assertThat(a.records().publish(rec(SUB + "ok", 1)).accepted()).isTrue();
            assertThat(a.records().publish(sign(attestor, ATT + "ok", 1)).accepted()).isTrue();
            await(() -> b.records().store().size() == 2);
            assertThat(a.records().store().size()).isEqualTo(2);
            assertThat(b.records().records(SUB))
                    .extracting(SignedRecord::keyText)
                    .containsExactly(SUB + "ok");
        }
        // without a trust list: no subscriptions (the engine accepts none), attestations from
        // any key (all count), as before
        try (LakeNode c =
                LakeNode.start(
                        config(dir.resolve("c"), List.of(), TrustList.EMPTY),
                        IpfsNetwork::install)) {
            assertThat(c.records().publish(rec(SUB + "y", 1)).outcome())
                    .isEqualTo(PutResult.Outcome.UNAUTHORIZED);
            assertThat(c.records().publish(rec(ATT + "y", 1)).accepted()).isTrue();
        }
    }

    @Test
    void aNodeMeasuresItsPeersKeepsThemAcrossRestartsAndFindsDomainMembers(@TempDir Path dir)
            throws Exception {
        try (LakeNode a =
                LakeNode.start(
                        config(dir.resolve("a"), List.of(), TrustList.EMPTY, List.of("verifiers")),
                        IpfsNetwork::install)) {
            try (LakeNode b =
                    LakeNode.start(
                            config(dir.resolve("b"), a.mesh().addresses(), TrustList.EMPTY),
                            IpfsNetwork::install)) {
                await(() -> b.domains().members("verifiers").equals(List.of(a.mesh().peerId())));
                await(
                        () ->
                                b.identities()
                                        .get(a.mesh().peerId())
                                        .map(p -> p.rttSamples() > 0)
                                        .orElse(false));
                b.identities().outcome(a.mesh().peerId(), "challenge", true, "stored");
                assertThat(get(b.adminUri() + "/peers"))
                        .startsWith("[{\"peer\":\"" + a.mesh().peerId() + "\",\"score\":")
                        .contains("\"outcomes\":[\"challenge good: stored\"]");
            }
            try (LakeNode b =
                    LakeNode.start(
                            config(dir.resolve("b"), List.of(), TrustList.EMPTY),
                            IpfsNetwork::install)) {
                // measured before the restart, kept in peers.db
                assertThat(b.identities().get(a.mesh().peerId()).orElseThrow().good()).isEqualTo(1);
                assertThat(b.identities().get(a.mesh().peerId()).orElseThrow().addresses())
                        .isNotEmpty();
            }
        }
    }
}
