package io.ipdm.mesh.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.MultiaddrException;
import io.ipdm.mesh.multiaddr.Protocol;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.testutils.HostPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two hosts over {@code /ws}, and what a listener does with broken or hostile WebSocket input. */
class HostWebSocketTest {
    @RegisterExtension final HostPair hosts = new HostPair();
    private final Host a = hosts.a;
    private final Host b = hosts.b;

    @Test
    void twoHostsOverWebSocketsIdentifyAndPing() throws Exception {
        Identify ia = Identify.install(a, "ipdm-test/a", false);
        Identify.install(b, "ipdm-test/b", false);
        Ping.install(a);
        Ping.install(b);
        Multiaddr bTcp = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Multiaddr bWs = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws"));
        assertThat(bWs.withoutPeerId().toString()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws");
        assertThat(b.listenAddrs()).containsExactly(bTcp.withoutPeerId(), bWs.withoutPeerId());

        Connection ab = a.dial(bWs).get(10, TimeUnit.SECONDS);
        assertThat(ab.remotePeer()).isEqualTo(b.peerId());
        assertThat(ab.isWebSocket()).isTrue();
        assertThat(ab.remoteAddress()).isEqualTo(bWs.withoutPeerId());
        assertThat(ab.localAddress().has(Protocol.WS)).isTrue();

        IdentifyInfo info = ia.identify(ab).get(10, TimeUnit.SECONDS);
        assertThat(info.listenAddrs()).containsExactly(bTcp.withoutPeerId(), bWs.withoutPeerId());
        assertThat(info.observedAddr()).isEqualTo(ab.localAddress());
        for (int i = 0; i < 20; i++) {
            assertThat(Ping.ping(ab).get(10, TimeUnit.SECONDS).isNegative()).isFalse();
        }
        Connection ba = b.connections().iterator().next();
        assertThat(ba.isWebSocket()).isTrue();
        assertThat(ba.remoteAddress()).isEqualTo(ab.localAddress());
        assertThat(Ping.ping(ba).get(10, TimeUnit.SECONDS).isNegative()).isFalse();
    }

    @Test
    void secureWebSocketsAreRefusedWithWhatToUseInstead() {
        assertThatThrownBy(() -> a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/wss")))
                .isInstanceOf(MultiaddrException.class)
                .hasMessage(
                        "secure WebSockets (/wss, /tls/ws) are not supported: /ip4/127.0.0.1/tcp/0/wss;"
                                + " this node speaks /ws without TLS (put a TLS-terminating proxy in"
                                + " front of a /ws listener for browsers) and /tcp");
        Multiaddr tlsWs = Multiaddr.parse("/ip4/127.0.0.1/tcp/443/tls/ws").withPeerId(b.peerId());
        assertThatThrownBy(() -> a.dial(tlsWs).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(MultiaddrException.class)
                .hasMessageStartingWith(
                        "secure WebSockets (/wss, /tls/ws) are not supported: /ip4/127.0.0.1/tcp/443/tls/ws/p2p/");
        assertThatThrownBy(() -> a.listen(Multiaddr.parse("/ip4/127.0.0.1/ws")))
                .isInstanceOf(MultiaddrException.class)
                .hasMessage(
                        "not a WebSocket address (want /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws):"
                                + " /ip4/127.0.0.1/ws");
    }

    @Test
    void dialingSomethingThatIsNotAWebSocketListenerFailsNamingTheAddress() throws Exception {
        dialFailsAgainst("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                .hasMessageContaining("404")
                .hasMessageContaining("handshake limit 8192 bytes");
    }

    @Test
    void anOversizedHandshakeResponseNamesTheLimit() throws Exception {
        dialFailsAgainst(
                        "HTTP/1.1 101 Switching Protocols\r\nX-Junk: "
                                + "x".repeat(20_000)
                                + "\r\n\r\n")
                .hasMessageContaining("8192");
    }

    /**
     * Dials {@code /ws} on a loopback server that answers the upgrade request with {@code
     * response}: the dial fails with a WebSocketException naming the address.
     */
    private AbstractThrowableAssert<?, ? extends Throwable> dialFailsAgainst(String response)
            throws IOException {
        try (ServerSocket http = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server =
                    new Thread(
                            () -> {
                                try (Socket s = http.accept()) {
                                    readHeaders(s.getInputStream());
                                    s.getOutputStream()
                                            .write(response.getBytes(StandardCharsets.US_ASCII));
                                    s.getOutputStream().flush();
                                    s.getInputStream().read();
                                } catch (IOException e) {
                                    // the test asserts on the dialing side
                                }
                            });
            server.setDaemon(true);
            server.start();
            Multiaddr target =
                    Multiaddr.parse("/ip4/127.0.0.1/tcp/" + http.getLocalPort() + "/ws")
                            .withPeerId(b.peerId());
            return assertThatThrownBy(() -> a.dial(target).get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(WebSocketException.class)
                    .hasMessageStartingWith(
                            "WebSocket handshake with /ip4/127.0.0.1/tcp/"
                                    + http.getLocalPort()
                                    + "/ws failed: ");
        }
    }

    /**
     * A plain HTTP request gets 400, a frame larger than the limit gets close status 1009; the
     * listener keeps serving real peers.
     */
    @Test
    void aListenerRefusesBadUpgradesAndOversizedFramesAndKeepsServing() throws Exception {
        Ping.install(b);
        Multiaddr bWs = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws"));
        int port = Integer.parseInt(bWs.value(Protocol.TCP));

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = readHeaders(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 400 Bad Request");
        }

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(
                    ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(readHeaders(in)).startsWith("HTTP/1.1 101 Switching Protocols");
            // FIN+binary, masked, 64-bit length of 1 MiB (limit: 256 KiB), mask key
            out.write(new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4});
            out.flush();
            // the listener's multistream header may come first; then the close frame (FIN+close,
            // payload starting with status 1009, message too big), then EOF
            int op;
            int len;
            while (true) {
                op = in.read();
                len = in.read() & 0x7F;
                assertThat(len).isLessThan(126);
                if (op != 0x82) {
                    break;
                }
                in.skipNBytes(len);
            }
            assertThat(op).isEqualTo(0x88);
            assertThat(len).isGreaterThanOrEqualTo(2);
            assertThat((in.read() << 8) | in.read()).isEqualTo(1009);
            assertThat(new String(in.readNBytes(len - 2), StandardCharsets.US_ASCII))
                    .isEqualTo("Max frame length of 262144 has been exceeded.");
            // (Netty's close on the way out may add a normal close frame) then EOF
            in.readAllBytes();
            assertThat(in.read()).isEqualTo(-1);
        }

        Connection c = a.dial(bWs).get(10, TimeUnit.SECONDS);
        assertThat(Ping.ping(c).get(10, TimeUnit.SECONDS).isNegative()).isFalse();
    }

    /** Reads an HTTP head up to the empty line. */
    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.write(c);
            state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
