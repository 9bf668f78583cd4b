package io.ipdm.mesh.identify;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.HostPair;
import io.ipdm.mesh.transport.Host;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Identify push is sent by itself: a protocol registered or an address bound after peers connected
 * reaches them without anyone calling {@link Identify#pushAll()}, and a burst of registrations (a
 * service installing several protocols) costs one push.
 */
class IdentifyPushTest {
    @RegisterExtension final HostPair hosts = new HostPair();
    private final Host a = hosts.a;
    private final Host b = hosts.b;

    @Test
    void newProtocolsAndListenAddressesArePushedToConnectedPeersOncePerBurst() throws Exception {
        Identify ia = Identify.install(a, "a/1.0", true);
        Identify ib = Identify.install(b, "b/1.0", true);
        a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Multiaddr bAddr = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        a.dial(bAddr).get(10, TimeUnit.SECONDS);
        await(() -> ia.info(b.peerId()) != null && ib.info(a.peerId()) != null);
        assertThat(ia.info(b.peerId()).protocols()).doesNotContain("/x/1", "/x/2", "/x/3");

        // three registrations in one event-loop task: one push to the one connection
        b.onLoop(
                        () -> {
                            for (String p : new String[] {"/x/1", "/x/2", "/x/3"}) {
                                b.addProtocol(p, (c, s) -> (st, data) -> data.release());
                            }
                            return null;
                        })
                .join();
        await(() -> ia.info(b.peerId()).protocols().contains("/x/3"));
        assertThat(ia.info(b.peerId()).protocols()).contains("/x/1", "/x/2", "/x/3");
        assertThat(ib.pushesSent()).isEqualTo(1);
        assertThat(ia.pushesReceived()).isEqualTo(1);
        assertThat(ia.info(b.peerId()).agentVersion()).isEqualTo("b/1.0");

        // a second listen address bound while connected
        Multiaddr second = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        await(() -> ia.info(b.peerId()).listenAddrs().contains(second.withoutPeerId()));
        assertThat(ia.info(b.peerId()).listenAddrs()).hasSize(2);

        // registering a protocol again is no change: nothing is pushed
        long sent = ib.pushesSent();
        b.addProtocol("/x/1", (c, s) -> (st, data) -> data.release());
        b.addProtocol("/x/4", (c, s) -> (st, data) -> data.release());
        await(() -> ia.info(b.peerId()).protocols().contains("/x/4"));
        assertThat(ib.pushesSent()).isEqualTo(sent + 1);
    }

    @Test
    void withoutConnectionsNothingIsPushedAndPeersIdentifyUsAfresh() throws Exception {
        Identify ia = Identify.install(a, "a/1.0", true);
        Identify ib = Identify.install(b, "b/1.0", true);
        Multiaddr bAddr = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        b.addProtocol("/late/1", (c, s) -> (st, data) -> data.release());
        assertThat(ib.pushesSent()).isZero();
        a.dial(bAddr).get(10, TimeUnit.SECONDS);
        await(() -> ia.info(b.peerId()) != null);
        assertThat(ia.info(b.peerId()).protocols()).contains("/late/1");
        assertThat(ib.pushesSent()).isZero();
    }
}
