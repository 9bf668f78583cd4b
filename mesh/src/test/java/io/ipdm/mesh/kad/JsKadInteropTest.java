package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.multiformats.Multihash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * IPDM DHT nodes and a js-libp2p node running {@code @libp2p/kad-dht} (server mode, {@code
 * /ipfs/kad/1.0.0}) on loopback, in the topology A — js — B (A and B are IPDM and reach each other
 * only through the js node): providers announced on one side are found from the other, and
 * FIND_NODE works both ways. Skips when node or the npm modules are missing.
 */
class JsKadInteropTest {
    private static final Duration T = Duration.ofSeconds(30);

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static List<String> ids(JsonNode peers) {
        List<String> out = new ArrayList<>();
        peers.forEach(p -> out.add(p.get("id").asText()));
        return out;
    }

    @Test
    void providersAndPeersAreFoundBothWaysWithJsLibp2p() throws Exception {
        try (JsPeer js = JsPeer.start(JsPeer.Service.KAD);
                KadTestNode a = new KadTestNode(KadConfig.defaults());
                KadTestNode b = new KadTestNode(KadConfig.defaults())) {
            Multiaddr jsAddr = js.addr();
            PeerId jsId = jsAddr.peerId();
            a.dht.bootstrap(List.of(jsAddr)).get(30, TimeUnit.SECONDS);
            b.dht.bootstrap(List.of(jsAddr)).get(30, TimeUnit.SECONDS);
            // js adds a peer to its routing table after identify shows the protocol and a ping.
            long until = System.nanoTime() + T.toNanos();
            while (js.call("routing-table", T).get("size").asInt() < 2
                    && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(js.call("routing-table", T).get("size").asInt()).isEqualTo(2);
            assertThat(a.dht.routingTable()).extracting(RoutingEntry::peer).contains(jsId);

            // IPDM provides, js finds it (and B finds it through js's GET_PROVIDERS answer).
            byte[] k1 = Multihash.sha2_256("provided by ipdm".getBytes()).toBytes();
            ProvideResult pr = a.dht.provide(k1).get(30, TimeUnit.SECONDS);
            assertThat(pr.sentTo()).contains(jsId);
            JsonNode found = null;
            for (int i = 0; i < 50; i++) {
                found =
                        js.call(
                                "find-providers",
                                T,
                                "key",
                                b64(k1),
                                "count",
                                "1",
                                "timeoutMs",
                                "10000");
                if (!found.get("providers").isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(ids(found.get("providers"))).containsExactly(a.id().toBase58());
            assertThat(found.get("providers").get(0).get("addrs").toString())
                    .contains(a.addr.withoutPeerId().toString());
            LookupResult viaJs =
                    b.dht.findProviders(k1, 1, Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
            assertThat(viaJs.providers()).extracting(KadPeer::id).containsExactly(a.id());
            assertThat(viaJs.providers().get(0).addrs()).contains(a.addr.withoutPeerId());

            // js provides, IPDM finds it.
            byte[] k2 = Multihash.sha2_256("provided by js".getBytes()).toBytes();
            JsonNode provided = js.call("provide", T, "key", b64(k2), "timeoutMs", "20000");
            assertThat(provided.get("sent").asInt()).isGreaterThanOrEqualTo(1);
            for (KadTestNode n : List.of(a, b)) {
                LookupResult r = null;
                for (int i = 0; i < 50; i++) {
                    r =
                            n.dht.findProviders(k2, 1, Duration.ofSeconds(10))
                                    .get(30, TimeUnit.SECONDS);
                    if (!r.providers().isEmpty()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(r.providers()).extracting(KadPeer::id).containsExactly(jsId);
                // js sends its addresses with /p2p/<its id>
                assertThat(r.providers().get(0).addrs().stream().map(Multiaddr::withoutPeerId))
                        .contains(jsAddr.withoutPeerId());
            }

            // FIND_NODE both ways: js asks A and B; B learns A's address from js.
            byte[] k3 = Multihash.sha2_256("somewhere".getBytes()).toBytes();
            JsonNode closest = js.call("closest-peers", T, "key", b64(k3), "timeoutMs", "20000");
            assertThat(ids(closest.get("peers"))).contains(a.id().toBase58(), b.id().toBase58());
            LookupResult peer =
                    b.dht.findPeer(a.id(), Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
            assertThat(peer.peer()).isNotNull();
            assertThat(peer.peer().addrs()).contains(a.addr.withoutPeerId());
            LookupResult fromA =
                    a.dht.closestPeers(k3, Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
            assertThat(fromA.closest()).extracting(KadPeer::id).contains(jsId, b.id());
            assertThat(a.dht.stats().requestsIn()).isGreaterThan(0);
            assertThat(a.dht.penalty(jsId)).isZero();
        }
    }

    /**
     * PUT_VALUE / GET_VALUE with js-libp2p's kad-dht, which validates /pk records: a js node puts
     * its public key record; the IPDM node (its only DHT peer) validates and stores it, and serves
     * it to a second js node that validates it again.
     */
    @Test
    void aPublicKeyRecordPutByJsIsStoredAndServedToAnotherJsNode() throws Exception {
        try (KadTestNode a = new KadTestNode(KadConfig.defaults());
                JsPeer js1 = JsPeer.start(JsPeer.Service.KAD)) {
            joinThrough(js1, a);
            PeerId id1 = PeerId.parse(js1.peerId());
            byte[] key = new byte[4 + id1.toBytes().length];
            System.arraycopy(
                    "/pk/".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, key, 0, 4);
            System.arraycopy(id1.toBytes(), 0, key, 4, key.length - 4);
            byte[] value = id1.inlinedPublicKey().toProtobuf();
            JsonNode put = js1.call("put-value", T, "key", b64(key), "value", b64(value));
            assertThat(put.get("sent").asInt()).isEqualTo(1); // A is js1's only DHT peer
            // a second js node, started after the put, asks A first
            try (JsPeer js2 = JsPeer.start(JsPeer.Service.KAD)) {
                joinThrough(js2, a);
                JsonNode got = js2.call("get-value", T, "key", b64(key));
                assertThat(got.get("value").asText()).isEqualTo(b64(value));
                assertThat(got.get("from").asText()).isEqualTo(a.id().toBase58());
            }
            assertThat(a.dht.penalty(id1)).isZero();
        }
    }

    /**
     * Our own PUT_VALUE and GET_VALUE against js-libp2p: an IPDM node publishes its /pk record and
     * js (its only DHT peer) validates and stores it, so a second IPDM node that knows only js
     * finds it by GET_VALUE; and js's own /pk record, put by js, is found by our GET_VALUE from js.
     */
    @Test
    void ourPublicKeyRecordIsStoredByJsAndFoundThroughItAndJsRecordsByUs() throws Exception {
        try (KadTestNode a = new KadTestNode(KadConfig.defaults());
                KadTestNode b = new KadTestNode(KadConfig.defaults());
                JsPeer js = JsPeer.start(JsPeer.Service.KAD)) {
            for (KadTestNode n : List.of(a, b)) {
                n.dht.bootstrap(List.of(js.addr())).get(30, TimeUnit.SECONDS);
            }
            byte[] keyA = pkKey(a.id());
            byte[] valueA = a.id().inlinedPublicKey().toProtobuf();
            PutValueResult put = a.dht.putValue(keyA, valueA).get(30, TimeUnit.SECONDS);
            assertThat(put.storedBy()).contains(PeerId.parse(js.peerId()));
            assertThat(put.refused()).isEmpty();
            ValueResult got =
                    b.dht.getValue(keyA, Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS);
            assertThat(got.value()).isEqualTo(valueA);
            // js's own record: js puts it, we look it up
            PeerId jsId = PeerId.parse(js.peerId());
            byte[] keyJs = pkKey(jsId);
            byte[] valueJs = jsId.inlinedPublicKey().toProtobuf();
            js.call("put-value", T, "key", b64(keyJs), "value", b64(valueJs));
            ValueResult fromJs =
                    b.dht.getValue(keyJs, Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS);
            assertThat(fromJs.value()).isEqualTo(valueJs);
            // and js finds ours through its own GET_VALUE (it holds it; asks nobody else)
            assertThat(js.call("get-value", T, "key", b64(keyA)).path("value").asText())
                    .isEqualTo(b64(valueA));
        }
    }

    /**
     * IPNS over the DHT with js kad-dht validating /ipns/ records with the npm ipns package (as
     * Helia configures it): a record we publish is stored by js and found by js's GET_VALUE; a
     * record js creates and puts is found by our GET_VALUE through js and verifies here; and a
     * newer record we sign for the same name (same key) replaces it at js.
     */
    @Test
    void ipnsRecordsCrossTheDhtBothWaysValidatedByJsIpns() throws Exception {
        try (KadTestNode a = new KadTestNode(KadConfig.defaults());
                KadTestNode b = new KadTestNode(KadConfig.defaults());
                JsPeer js = JsPeer.start(JsPeer.Service.KAD, JsPeer.Service.IPNS)) {
            for (KadTestNode n : List.of(a, b)) {
                n.dht.bootstrap(List.of(js.addr())).get(30, TimeUnit.SECONDS);
            }
            Ed25519KeyPair ours = Ed25519KeyPair.generate();
            IpnsRecord r =
                    IpnsRecord.create(
                            ours,
                            "/ipfs/bafkqaaa",
                            java.time.Instant.now().plus(Duration.ofHours(1)),
                            1,
                            Duration.ofMinutes(5));
            byte[] key = IpnsRecord.routingKey(ours.peerId());
            PutValueResult put = a.dht.putValue(key, r.entry()).get(30, TimeUnit.SECONDS);
            assertThat(put.storedBy()).contains(PeerId.parse(js.peerId()));
            assertThat(put.refused()).isEmpty();
            assertThat(js.call("get-value", T, "key", b64(key)).path("value").asText())
                    .isEqualTo(b64(r.entry()));

            byte[] seed = new byte[32];
            seed[31] = 7;
            JsonNode made =
                    js.call(
                            "ipns-create",
                            T,
                            "seed",
                            b64(seed),
                            "value",
                            "/ipfs/bafkqaaa",
                            "seq",
                            3,
                            "lifetimeMs",
                            3_600_000);
            byte[] jsKey = Base64.getDecoder().decode(made.get("key").asText());
            byte[] jsRecord = Base64.getDecoder().decode(made.get("record").asText());
            js.call("put-value", T, "key", b64(jsKey), "value", b64(jsRecord));
            ValueResult found =
                    b.dht.getValue(jsKey, Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS);
            assertThat(found.value()).isEqualTo(jsRecord);
            PeerId name = PeerId.parse(made.get("name").asText());
            IpnsRecord verified =
                    IpnsRecord.verify(name, found.value(), System.currentTimeMillis());
            assertThat(verified.sequence()).isEqualTo(3);
            assertThat(verified.value()).isEqualTo("/ipfs/bafkqaaa");

            // the same name, signed here with sequence 4: js keeps ours over its own
            IpnsRecord newer =
                    IpnsRecord.create(
                            Ed25519KeyPair.fromSeed(seed),
                            "/ipfs/bafkqaaa",
                            java.time.Instant.now().plus(Duration.ofMinutes(30)),
                            4,
                            Duration.ofMinutes(5));
            PutValueResult replaced =
                    b.dht.putValue(jsKey, newer.entry()).get(30, TimeUnit.SECONDS);
            assertThat(replaced.storedBy()).contains(PeerId.parse(js.peerId()));
            assertThat(js.call("get-value", T, "key", b64(jsKey)).path("value").asText())
                    .isEqualTo(b64(newer.entry()));
        }
    }

    private static byte[] pkKey(PeerId peer) {
        byte[] id = peer.toBytes();
        byte[] key = new byte[4 + id.length];
        System.arraycopy("/pk/".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, key, 0, 4);
        System.arraycopy(id, 0, key, 4, id.length);
        return key;
    }

    private static void joinThrough(JsPeer js, KadTestNode a) throws InterruptedException {
        js.call("dial", T, "addr", a.addr.toString());
        long until = System.nanoTime() + T.toNanos();
        while (js.call("routing-table", T).get("size").asInt() < 1 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
    }
}
