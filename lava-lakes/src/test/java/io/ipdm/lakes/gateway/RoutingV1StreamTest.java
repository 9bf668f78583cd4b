package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.gateway.RoutingV1Backend.Peer;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Backpressure of streamed (NDJSON) routing answers, and HEAD without a lookup: lines are written
 * only while the channel is writable, a bounded amount is held while it is not (the rest dropped),
 * the held lines follow in order when it becomes writable again; a client that does not read leaves
 * the lookup unblocked and gets a well-formed, shortened answer when it does read.
 */
class RoutingV1StreamTest {
    private static final String NDJSON = RoutingV1.NDJSON;

    private static Responder.Reply streamHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", NDJSON);
        return new Responder.Reply(200, h, null, null, emit -> null);
    }

    private static byte[] line(int i, int bytes) {
        StringBuilder sb = new StringBuilder("{\"n\":").append(i).append(",\"pad\":\"");
        while (sb.length() < bytes - 3) {
            sb.append('x');
        }
        return sb.append("\"}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<Object> outbound(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    @Test
    void linesWaitWhileTheChannelIsNotWritableAndAreHeldBoundedThenFollowInOrder() {
        EmbeddedChannel ch = new EmbeddedChannel();
        List<ChannelFuture> last = new ArrayList<>();
        List<Responder.Reply> whole = new ArrayList<>();
        RoutingV1Stream s = new RoutingV1Stream(ch, streamHeaders(), whole::add, last::add);

        s.offer(line(0, 100));
        List<Object> first = outbound(ch);
        assertThat(first).hasSize(2).first().isInstanceOf(HttpResponse.class);

        // a slow client: the channel is not writable (as past the write-buffer high-water mark)
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        ch.runPendingTasks();
        assertThat(ch.isWritable()).isFalse();
        int offered = 20_000;
        for (int i = 1; i < offered; i++) {
            s.offer(line(i, 100));
        }
        assertThat(outbound(ch)).as("nothing written while not writable").isEmpty();
        int maxHeld = RoutingV1Stream.MAX_HELD_BYTES / 100;
        assertThat(s.heldLines()).isEqualTo(maxHeld);
        s.end(null); // the lookup is over; the held lines are still owed
        assertThat(last).isEmpty();

        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.runPendingTasks();
        List<Object> rest = outbound(ch);
        assertThat(rest).hasSize(maxHeld + 1).last().isInstanceOf(LastHttpContent.class);
        for (int i = 0; i < maxHeld; i++) {
            ByteBuf b = ((HttpContent) rest.get(i)).content();
            assertThat(b.toString(StandardCharsets.UTF_8))
                    .as("held lines in the order found")
                    .startsWith("{\"n\":" + (i + 1) + ",");
        }
        rest.forEach(io.netty.util.ReferenceCountUtil::release);
        first.forEach(io.netty.util.ReferenceCountUtil::release);
        assertThat(last).hasSize(1);
        assertThat(whole).isEmpty();
        assertThat(ch.pipeline().get("routing-v1-stream")).as("handler removed").isNull();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aStreamThatFoundNothingSendsTheLookupsOwnAnswer() {
        EmbeddedChannel ch = new EmbeddedChannel();
        List<ChannelFuture> last = new ArrayList<>();
        List<Responder.Reply> whole = new ArrayList<>();
        RoutingV1Stream s = new RoutingV1Stream(ch, streamHeaders(), whole::add, last::add);
        s.end(Responder.Reply.error(404, "no providers"));
        assertThat(outbound(ch)).isEmpty();
        assertThat(whole).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(404));
        assertThat(last).isEmpty();
        s.offer(line(1, 50)); // a late find after the end is dropped
        assertThat(outbound(ch)).isEmpty();
        assertThat(ch.pipeline().get("routing-v1-stream")).isNull();
    }

    /** A backend that finds {@code peers} providers, each with many addresses (long lines). */
    private static final class Many implements RoutingV1Backend {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch returned = new CountDownLatch(1);
        final List<Peer> peers = new ArrayList<>();

        Many(int count, int addrs) {
            List<Multiaddr> as = new ArrayList<>();
            for (int i = 0; i < addrs; i++) {
                as.add(Multiaddr.parse("/ip4/10.0." + (i / 250) + "." + (i % 250) + "/tcp/4001"));
            }
            for (int i = 0; i < count; i++) {
                peers.add(new Peer(Ed25519KeyPair.generate().peerId(), as, List.of()));
            }
        }

        @Override
        public void providers(Cid cid, int max, Duration timeout, Consumer<Peer> found) {
            calls.incrementAndGet();
            peers.forEach(found);
            returned.countDown();
        }

        @Override
        public List<Peer> peers(PeerId peer, Duration timeout) {
            calls.incrementAndGet();
            return List.of();
        }

        @Override
        public List<Peer> closestPeers(byte[] key, int max, Duration timeout) {
            calls.incrementAndGet();
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
    }

    private static Gateway gateway(Many backend) throws Exception {
        RoutingV1 routing =
                new RoutingV1(
                        backend,
                        new RoutingV1.Limits(100, 5000, Duration.ofSeconds(10), 4),
                        Clock.systemUTC());
        return Gateway.start(
                cid -> null,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                GatewayLimits.DEFAULT,
                null,
                routing);
    }

    private static String request(String method, String path, String accept) {
        return method
                + " "
                + path
                + " HTTP/1.1\r\nHost: x\r\nAccept: "
                + accept
                + "\r\nConnection: close\r\n\r\n";
    }

    private static String readAll(Socket s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aClientThatDoesNotReadLeavesTheLookupFreeAndGetsABoundedWellFormedAnswer()
            throws Exception {
        // 2,000 records of ~20 KB: about 40 MB if all were held for the client
        Many backend = new Many(2000, 500);
        try (Gateway g = gateway(backend);
                Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), g.port()));
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(
                    request("GET", "/routing/v1/providers/bafkqaaa", NDJSON)
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(backend.returned.await(60, TimeUnit.SECONDS))
                    .as("the lookup ran to its end while the client read nothing")
                    .isTrue();
            String answer = readAll(s);
            assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("transfer-encoding: chunked");
            assertThat(answer).endsWith("\r\n0\r\n\r\n");
            int lines = answer.split("\"Schema\":\"peer\"", -1).length - 1;
            assertThat(lines)
                    .as("the first records, then those held for the slow client; the rest dropped")
                    .isPositive()
                    .isLessThan(2000);
        }
    }

    @Test
    void headOnAnNdjsonEndpointAnswersHeadersWithoutALookup() throws Exception {
        Many backend = new Many(3, 1);
        try (Gateway g = gateway(backend)) {
            for (String path :
                    List.of(
                            "/routing/v1/providers/bafkqaaa",
                            "/routing/v1/peers/" + Ed25519KeyPair.generate().peerId(),
                            "/routing/v1/dht/closest/peers/bafkqaaa")) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), g.port())) {
                    s.setSoTimeout(30_000);
                    s.getOutputStream()
                            .write(
                                    request("HEAD", path, NDJSON)
                                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = readAll(s);
                    assertThat(answer)
                            .as(path)
                            .startsWith("HTTP/1.1 200 OK")
                            .containsIgnoringCase("content-type: application/x-ndjson")
                            .containsIgnoringCase("vary: Accept")
                            .endsWith("\r\n\r\n")
                            .doesNotContain("Schema");
                }
            }
            assertThat(backend.calls.get()).as("no lookup ran for HEAD").isZero();
            // GET streams as before
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), g.port())) {
                s.setSoTimeout(30_000);
                s.getOutputStream()
                        .write(
                                request("GET", "/routing/v1/providers/bafkqaaa", NDJSON)
                                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readAll(s).split("\"Schema\":\"peer\"", -1)).hasSize(4);
            }
            assertThat(backend.calls.get()).isOne();
        }
    }
}
