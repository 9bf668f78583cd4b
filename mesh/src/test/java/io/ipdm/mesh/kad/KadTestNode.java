package io.ipdm.mesh.kad;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;

/** A loopback host with identify, ping and the DHT, as {@code ipdm node} composes them. */
final class KadTestNode implements AutoCloseable {
    final Host host;
    final Identify identify;
    final KadNetwork dht;
    final Multiaddr addr;

    KadTestNode(KadConfig cfg) {
        host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        identify = Identify.install(host, "ipdm-test", true);
        Ping.install(host);
        dht = KadNetwork.install(host, identify, cfg);
        addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
    }

    PeerId id() {
        return host.peerId();
    }

    @Override
    public void close() {
        dht.close();
        host.close();
    }
}
