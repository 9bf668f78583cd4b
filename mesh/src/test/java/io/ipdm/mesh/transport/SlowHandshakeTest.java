package io.ipdm.mesh.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.ping.Ping;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sockets that open a connection and never finish the handshake (slow-loris) must not lock real
 * peers out: the oldest unfinished inbound connection makes room for a new one.
 */
class SlowHandshakeTest {
    private static final int LIMIT = 4;

    @Test
    void idleUnauthenticatedSocketsDoNotLockOutARealPeer() throws Exception {
        TransportConfig small = TransportConfig.defaults().withMaxConnections(LIMIT);
        List<Socket> loris = new ArrayList<>();
        try (Host server = new Host(Ed25519KeyPair.generate(), small);
                Host client = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
            Ping.install(server);
            Multiaddr addr = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
            InetSocketAddress sa = addr.withoutPeerId().toTcpSocketAddress();
            byte[] hello = multistream("/multistream/1.0.0");
            for (int i = 0; i < LIMIT; i++) {
                Socket s = new Socket();
                s.connect(sa, 5_000);
                s.setSoTimeout(5_000);
                // the server answers the multistream header, so the socket is accepted and counted;
                // then it stays silent, never starting Noise
                s.getOutputStream().write(hello);
                assertThat(s.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
                loris.add(s);
            }

            Connection c = client.dial(addr).get(10, TimeUnit.SECONDS);
            assertThat(c.remotePeer()).isEqualTo(server.peerId());
            assertThat(Ping.ping(c).get(10, TimeUnit.SECONDS)).isPositive();
            // the oldest idle socket was the one closed to make room
            assertThat(closed(loris.get(0))).isTrue();
        } finally {
            for (Socket s : loris) {
                s.close();
            }
        }
    }

    private static boolean closed(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private static byte[] multistream(String line) {
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) b.length;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }
}
