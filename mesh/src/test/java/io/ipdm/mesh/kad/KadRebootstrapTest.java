package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node whose bootstrap peer was down when it started joins the DHT once that peer is up (it used
 * to stay alone with an empty routing table until someone else dialed it).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KadRebootstrapTest {
    @Test
    void theBootstrapPeersAreDialedAgainWhileTheRoutingTableIsEmpty() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free again: the bootstrap peer is not up yet
        }
        Ed25519KeyPair bootKey = Ed25519KeyPair.generate();
        Multiaddr bootAddr =
                Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port).withPeerId(bootKey.peerId());
        KadConfig cfg =
                KadConfig.defaults().toBuilder().bootstrapRetry(Duration.ofMillis(300)).build();
        try (KadTestNode node = new KadTestNode(cfg)) {
            assertThatThrownBy(
                            () -> node.dht.bootstrap(List.of(bootAddr)).get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("DHT bootstrap peers could be dialed");
            assertThat(node.dht.routingTable()).isEmpty();

            Host boot = new Host(bootKey, TransportConfig.defaults());
            try {
                Identify identify = Identify.install(boot, "ipdm-test", true);
                Ping.install(boot);
                KadNetwork bootDht = KadNetwork.install(boot, identify, KadConfig.defaults());
                boot.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (node.dht.routingTable().stream()
                        .noneMatch(e -> e.peer().equals(bootKey.peerId()))) {
                    assertThat(System.nanoTime() - deadline)
                            .as("the bootstrap peer in the routing table within 60 s")
                            .isNegative();
                    Thread.sleep(100);
                }
                bootDht.close();
            } finally {
                boot.close();
            }
        }
    }
}
