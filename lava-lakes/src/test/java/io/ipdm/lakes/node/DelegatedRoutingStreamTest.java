package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.gateway.RoutingV1;
import io.ipdm.mesh.kad.KadNetwork;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Multicodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NDJSON provider answers are streamed: a gateway node that holds the block writes its own record
 * while its DHT lookup still waits on a peer that does not answer (a real node behind a TCP relay
 * the test stops forwarding), and ends the answer when that peer goes away.
 */
class DelegatedRoutingStreamTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @Test
    void theFirstRecordArrivesWhileTheLookupWaitsOnASilentPeer(@TempDir Path dir) throws Exception {
        Block b = Block.of(Multicodec.RAW, "streamed".getBytes(StandardCharsets.UTF_8));
        try (LakeNode g =
                LakeNode.start(
                        NodeConfig.builder(
                                        EnumSet.of(NodeRole.STORAGE, NodeRole.GATEWAY),
                                        dir.resolve("g"))
                                .listen(List.of(ANY))
                                // one lookup at a time (ipdm node --routing-limit)
                                .routingLimits(
                                        RoutingV1.Limits.fromMap(Map.of("concurrent-lookups", "1")))
                                .build(),
                        IpfsNetwork::install)) {
            g.store().put(b);
            Multiaddr gAddr = g.mesh().addresses().get(0);
            try (Relay relay = new Relay(gAddr.toString());
                    LakeNode s =
                            LakeNode.start(
                                    NodeConfig.builder(
                                                    EnumSet.of(NodeRole.STORAGE), dir.resolve("s"))
                                            .listen(List.of(ANY))
                                            .bootstrap(
                                                    List.of(
                                                            Multiaddr.parse(
                                                                    "/ip4/127.0.0.1/tcp/"
                                                                            + relay.port()
                                                                            + "/p2p/"
                                                                            + g.mesh()
                                                                                    .peerId()
                                                                                    .toBase58())))
                                            .build(),
                                    IpfsNetwork::install)) {
                KadNetwork dht = g.names().dht();
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (dht.routingTable().stream()
                                .noneMatch(e -> e.peer().equals(s.mesh().peerId()))
                        && System.nanoTime() < end) {
                    Thread.sleep(100); // until s, through the relay, is g's DHT contact
                }
                assertThat(dht.routingTable()).anyMatch(e -> e.peer().equals(s.mesh().peerId()));

                relay.freeze(); // s still holds its connection but nothing it is sent arrives
                try (Socket http =
                        new Socket(InetAddress.getLoopbackAddress(), g.gateway().port())) {
                    http.setSoTimeout(60_000);
                    OutputStream out = http.getOutputStream();
                    out.write(
                            ("GET /routing/v1/providers/"
                                            + b.cid()
                                            + " HTTP/1.1\r\nHost: x\r\nAccept: application/x-ndjson\r\n"
                                            + "Connection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    BufferedReader in =
                            new BufferedReader(
                                    new InputStreamReader(
                                            http.getInputStream(), StandardCharsets.ISO_8859_1));
                    List<String> head = new ArrayList<>();
                    for (String l = in.readLine(); !l.isEmpty(); l = in.readLine()) {
                        head.add(l.toLowerCase(java.util.Locale.ROOT));
                    }
                    assertThat(head.get(0)).isEqualTo("http/1.1 200 ok");
                    assertThat(head).contains("content-type: application/x-ndjson");
                    assertThat(head).contains("transfer-encoding: chunked");
                    in.readLine(); // chunk size
                    String first = in.readLine();
                    assertThat(first)
                            .startsWith(
                                    "{\"Schema\":\"peer\",\"ID\":\""
                                            + g.mesh().peerId().toBase58()
                                            + "\"");

                    // the record is here while its lookup still runs: it holds the one lookup
                    // slot (released when the lookup ends), so a second lookup is refused
                    HttpResponse<String> second =
                            HttpClient.newHttpClient()
                                    .send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    g.gateway().baseUri()
                                                                            + "/routing/v1/providers/"
                                                                            + b.cid()))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString());
                    assertThat(second.statusCode()).isEqualTo(429);
                    assertThat(second.body())
                            .isEqualTo(
                                    "too many routing lookups at once (at most 1); retry"
                                            + " shortly\n");

                    // the lookup asked s, which cannot answer while the relay holds its bytes
                    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (relay.held() == 0 && System.nanoTime() < until) {
                        Thread.sleep(50);
                    }
                    assertThat(relay.held()).isPositive();
                    assertThat(dht.stats().activeLookups()).isPositive();

                    relay.close(); // s goes away: its request fails and the lookup ends
                    List<String> rest = new ArrayList<>();
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        rest.add(l);
                    }
                    // the chunk's CRLF, then the last chunk: no other record, nothing after
                    assertThat(rest).containsExactly("", "0", "");
                }
            }
        }
    }

    /**
     * A loopback TCP relay to one target: forwards both ways until {@link #freeze}, then reads and
     * holds what either side sends (counting it) without passing it on.
     */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final AtomicLong held = new AtomicLong();
        private volatile boolean frozen;

        Relay(String target) throws IOException {
            Multiaddr t = Multiaddr.parse(target);
            String[] parts = t.toString().split("/");
            InetSocketAddress to = new InetSocketAddress(parts[2], Integer.parseInt(parts[4]));
            server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            Thread.ofVirtual()
                    .start(
                            () -> {
                                try {
                                    while (true) {
                                        Socket a = server.accept();
                                        Socket c = new Socket(to.getAddress(), to.getPort());
                                        sockets.add(a);
                                        sockets.add(c);
                                        pump(a, c);
                                        pump(c, a);
                                    }
                                } catch (IOException closed) {
                                    // the relay was closed
                                }
                            });
        }

        int port() {
            return server.getLocalPort();
        }

        void freeze() {
            frozen = true;
        }

        long held() {
            return held.get();
        }

        private void pump(Socket from, Socket to) {
            Thread.ofVirtual()
                    .start(
                            () -> {
                                byte[] buf = new byte[8192];
                                try (InputStream in = from.getInputStream()) {
                                    for (int n; (n = in.read(buf)) > 0; ) {
                                        if (frozen) {
                                            held.addAndGet(n);
                                        } else {
                                            to.getOutputStream().write(buf, 0, n);
                                        }
                                    }
                                } catch (IOException closed) {
                                    // either side went away
                                }
                                close(to);
                            });
        }

        private static void close(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            sockets.forEach(Relay::close);
        }
    }
}
