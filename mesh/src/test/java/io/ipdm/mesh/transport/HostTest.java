package io.ipdm.mesh.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identify.IdentifyInfo;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.testutils.HostPair;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HostTest {
    @RegisterExtension final HostPair hosts = new HostPair();
    private final Host a = hosts.a;
    private final Host b = hosts.b;

    @Test
    void dialsIdentifiesAndPingsBothWays() throws Exception {
        Identify ia = Identify.install(a, "ipdm-test/a", false);
        Identify ib = Identify.install(b, "ipdm-test/b", false);
        Ping.install(a);
        Ping.install(b);
        a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Multiaddr bAddr = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

        Connection ab = a.dial(bAddr).get(10, TimeUnit.SECONDS);
        assertThat(ab.remotePeer()).isEqualTo(b.peerId());

        IdentifyInfo info = ia.identify(ab).get(10, TimeUnit.SECONDS);
        assertThat(info.agentVersion()).isEqualTo("ipdm-test/b");
        assertThat(info.protocols()).contains(Identify.PROTOCOL, Ping.PROTOCOL);
        assertThat(info.listenAddrs()).containsExactly(bAddr.withoutPeerId());
        assertThat(Ping.ping(ab).get(10, TimeUnit.SECONDS)).isPositive();

        Connection ba = b.connections().iterator().next();
        assertThat(ba.remotePeer()).isEqualTo(a.peerId());
        assertThat(ib.identify(ba).get(10, TimeUnit.SECONDS).agentVersion())
                .isEqualTo("ipdm-test/a");
        for (int i = 0; i < 20; i++) {
            assertThat(Ping.ping(ba).get(10, TimeUnit.SECONDS)).isLessThan(Duration.ofSeconds(10));
        }
        // A second dial reuses the connection.
        assertThat(a.dial(bAddr).get(10, TimeUnit.SECONDS)).isSameAs(ab);
    }

    @Test
    void dialingTheWrongPeerIdFailsAuthentication() {
        Multiaddr bAddr = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Multiaddr wrong = bAddr.withPeerId(Ed25519KeyPair.generate().peerId());
        assertThatThrownBy(() -> a.dial(wrong).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("but the remote authenticated as " + b.peerId());
    }

    @Test
    void unsupportedProtocolIsRefused() throws Exception {
        Multiaddr bAddr = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Connection c = a.dial(bAddr).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> c.newStream("/nope/1.0.0", (s, d) -> {}).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("peer does not support /nope/1.0.0");
        // The connection still serves other streams.
        Ping.install(b);
        assertThat(Ping.ping(c).get(10, TimeUnit.SECONDS)).isPositive();
    }
}
