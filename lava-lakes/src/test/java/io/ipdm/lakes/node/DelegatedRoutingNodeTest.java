package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.network.DelegatedRouting;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Multicodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes and the delegated routing API between them: a node with no bootstrap peer and no DHT
 * contact, routed only through another node's gateway ({@code --routing URL}), finds that node as
 * the provider of a block and reads it by Bitswap; and the gateway's answers as HTTP: JSON and
 * NDJSON, caching and CORS headers, 404, the IPNS record media type, and refusals of bad input.
 */
class DelegatedRoutingNodeTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final HttpClient http = HttpClient.newHttpClient();

    private static LakeNode gateway(Path dir) throws Exception {
        return LakeNode.start(
                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE, NodeRole.GATEWAY), dir)
                        .listen(List.of(ANY))
                        .build(),
                IpfsNetwork::install);
    }

    @Test
    void aNodeRoutedOnlyThroughAnotherNodesGatewayReadsItsBlock(@TempDir Path dir)
            throws Exception {
        byte[] data = new byte[100_000];
        new Random(9).nextBytes(data);
        Block b = Block.of(Multicodec.RAW, data);
        try (LakeNode a = gateway(dir.resolve("a"))) {
            a.store().put(b);
            URI router = a.gateway().baseUri();
            try (LakeNode c =
                    LakeNode.start(
                            NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), dir.resolve("c"))
                                    .listen(List.of(ANY))
                                    .routers(List.of(router))
                                    .build(),
                            IpfsNetwork::install)) {
                assertThat(c.mesh().host().connections()).isEmpty();
                assertThat(c.reads().get(b.cid()).data()).isEqualTo(data);
                assertThat(c.store().has(b.cid())).isTrue();
            }
            DelegatedRouting client = new DelegatedRouting(router);
            assertThat(client.findPeer(a.mesh().peerId(), Duration.ofSeconds(10)))
                    .contains(a.mesh().addresses().get(0).withoutPeerId());
            var found = client.findProviders(b.cid(), 5, Duration.ofSeconds(10)).providers();
            assertThat(found).hasSize(1);
            assertThat(found.get(0).peer()).isEqualTo(a.mesh().peerId());
        }
    }

    @Test
    void providersAndPeersAnswerJsonOrNdjsonWithCacheAndCorsHeaders(@TempDir Path dir)
            throws Exception {
        try (LakeNode a = gateway(dir)) {
            Block b = Block.of(Multicodec.RAW, "json".getBytes(StandardCharsets.UTF_8));
            a.store().put(b);
            String base = a.gateway().baseUri() + "/routing/v1";
            String self = a.mesh().peerId().toBase58();

            HttpResponse<String> json = get(base + "/providers/" + b.cid(), null);
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
            assertThat(json.headers().firstValue("Vary")).hasValue("Accept");
            assertThat(json.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            assertThat(json.body())
                    .startsWith("{\"Providers\":[{\"Schema\":\"peer\",\"ID\":\"" + self + "\"")
                    .contains("\"Protocols\":[\"transport-bitswap\"]");

            HttpResponse<String> nd = get(base + "/providers/" + b.cid(), "application/x-ndjson");
            assertThat(nd.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
            assertThat(nd.body().split("\n")).hasSize(1);
            assertThat(nd.body()).startsWith("{\"Schema\":\"peer\",\"ID\":\"" + self + "\"");

            // IPIP-484: a protocol filter that excludes Bitswap leaves nothing
            assertThat(
                            get(base + "/providers/" + b.cid() + "?filter-protocols=unknown", null)
                                    .statusCode())
                    .isEqualTo(404);

            HttpResponse<String> peer =
                    get(base + "/peers/" + a.mesh().peerId().toCidString(), null);
            assertThat(peer.statusCode()).isEqualTo(200);
            assertThat(peer.body()).startsWith("{\"Peers\":[{\"Schema\":\"peer\",\"ID\":\"" + self);

            Block absent = Block.of(Multicodec.RAW, "nobody".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> none = get(base + "/providers/" + absent.cid(), null);
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.headers().firstValue("Cache-Control")).hasValue("public, max-age=15");
            assertThat(none.body()).contains("no providers of " + absent.cid());

            HttpResponse<String> pre =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/providers/" + b.cid()))
                                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().firstValue("Access-Control-Allow-Methods"))
                    .hasValue("GET, PUT, OPTIONS");
        }
    }

    @Test
    void closestPeersAreTheDhtServersNearAKey(@TempDir Path dir) throws Exception {
        try (LakeNode a = gateway(dir.resolve("a"));
                LakeNode c =
                        LakeNode.start(
                                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), dir.resolve("c"))
                                        .listen(List.of(ANY))
                                        .bootstrap(List.of(a.mesh().addresses().get(0)))
                                        .build(),
                                IpfsNetwork::install)) {
            String base = a.gateway().baseUri() + "/routing/v1/dht/closest/peers/";
            String other = c.mesh().peerId().toBase58();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> r = get(base + c.mesh().peerId().toCidString(), null);
            while (!r.body().contains(other) && System.nanoTime() < end) {
                Thread.sleep(200); // until the DHT servers know each other
                r = get(base + c.mesh().peerId().toCidString(), null);
            }
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .startsWith("{\"Peers\":[{\"Schema\":\"peer\",\"ID\":\"" + other + "\"")
                    .contains(c.mesh().addresses().get(0).withoutPeerId().toString());
        }
    }

    @Test
    void badInputIsRefusedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        try (LakeNode a = gateway(dir)) {
            String base = a.gateway().baseUri() + "/routing/v1";
            HttpResponse<String> cid = get(base + "/providers/not-a-cid", null);
            assertThat(cid.statusCode()).isEqualTo(400);
            assertThat(cid.body()).startsWith("'not-a-cid' is not a CID (");
            HttpResponse<String> peer = get(base + "/peers/bafkqaaa", null);
            assertThat(peer.statusCode()).isEqualTo(400);
            assertThat(peer.body()).startsWith("'bafkqaaa' is not a peer id (");
            HttpResponse<String> path = get(base + "/dht/farthest/peers/x", null);
            assertThat(path.statusCode()).isEqualTo(400);
            assertThat(path.body()).startsWith("unknown routing path '/routing/v1/dht/farthest");
            HttpResponse<String> key = get(base + "/dht/closest/peers/nope", null);
            assertThat(key.statusCode()).isEqualTo(400);
            assertThat(key.body()).startsWith("'nope' is neither a CID nor a peer id");
            HttpResponse<String> put =
                    send("PUT", base + "/providers", "application/json", "{}".getBytes());
            assertThat(put.statusCode()).isEqualTo(501);
            HttpResponse<String> del =
                    send("DELETE", base + "/providers/bafkqaaa", null, new byte[0]);
            assertThat(del.statusCode()).isEqualTo(405);
            assertThat(del.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
            HttpResponse<String> big =
                    send(
                            "PUT",
                            base + "/ipns/" + a.mesh().peerId(),
                            IpnsRecord.MEDIA_TYPE,
                            new byte[IpnsRecord.MAX_RECORD_BYTES + 1]);
            assertThat(big.statusCode()).isEqualTo(413);
            // the gateway keeps serving after refusals
            assertThat(get(base + "/peers/" + a.mesh().peerId(), null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void ipnsRecordsArePutVerifiedAndServedWithTheRecordMediaType(@TempDir Path dir)
            throws Exception {
        try (LakeNode a = gateway(dir)) {
            String base = a.gateway().baseUri() + "/routing/v1/ipns/";
            Ed25519KeyPair key = Ed25519KeyPair.generate();
            String name = key.peerId().toCidString();
            IpnsRecord rec =
                    IpnsRecord.create(
                            key,
                            "/ipfs/bafkqaaa",
                            Instant.now().plus(Duration.ofHours(1)),
                            1,
                            Duration.ofMinutes(2));

            assertThat(get(base + name, IpnsRecord.MEDIA_TYPE).statusCode()).isEqualTo(404);
            HttpResponse<String> noAccept = get(base + name, "application/json");
            assertThat(noAccept.statusCode()).isEqualTo(406);
            assertThat(noAccept.body()).contains("Accept: " + IpnsRecord.MEDIA_TYPE);

            HttpResponse<String> wrongType =
                    send("PUT", base + name, "application/octet-stream", rec.entry());
            assertThat(wrongType.statusCode()).isEqualTo(415);
            assertThat(wrongType.body())
                    .isEqualTo(
                            "send the record as Content-Type: "
                                    + IpnsRecord.MEDIA_TYPE
                                    + " (got application/octet-stream)\n");
            HttpResponse<String> garbage =
                    send("PUT", base + name, IpnsRecord.MEDIA_TYPE, new byte[] {1, 2, 3});
            assertThat(garbage.statusCode()).isEqualTo(400);
            assertThat(garbage.body()).startsWith("the record is not a valid record of ");
            String other = Ed25519KeyPair.generate().peerId().toCidString();
            HttpResponse<String> notTheirs =
                    send("PUT", base + other, IpnsRecord.MEDIA_TYPE, rec.entry());
            assertThat(notTheirs.statusCode()).isEqualTo(400);

            assertThat(send("PUT", base + name, IpnsRecord.MEDIA_TYPE, rec.entry()).statusCode())
                    .isEqualTo(200);
            HttpResponse<byte[]> got =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + name))
                                    .header("Accept", IpnsRecord.MEDIA_TYPE)
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(rec.entry());
            assertThat(got.headers().firstValue("Content-Type")).hasValue(IpnsRecord.MEDIA_TYPE);
            assertThat(got.headers().firstValue("Cache-Control")).hasValue("public, max-age=120");
            assertThat(got.headers().firstValue("Etag")).isPresent();

            IpnsRecord older =
                    IpnsRecord.create(
                            key,
                            "/ipfs/bafkqaaa",
                            Instant.now().plus(Duration.ofHours(1)),
                            0,
                            Duration.ofMinutes(2));
            // an older record does not replace the newer one: the best record is served
            send("PUT", base + name, IpnsRecord.MEDIA_TYPE, older.entry());
            HttpResponse<byte[]> still =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + name))
                                    .header("Accept", IpnsRecord.MEDIA_TYPE)
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(still.body()).isEqualTo(rec.entry());
        }
    }

    private HttpResponse<String> get(String url, String accept) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (accept != null) {
            r.header("Accept", accept);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String url, String type, byte[] body)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(url))
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            r.header("Content-Type", type);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
