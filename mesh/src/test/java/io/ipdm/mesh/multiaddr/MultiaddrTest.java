package io.ipdm.mesh.multiaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultiaddrTest {
    private static final String PEER = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

    @Test
    void parsesFormatsAndRoundTripsBinary() {
        for (String s :
                new String[] {
                    "/ip4/127.0.0.1/tcp/4001",
                    "/ip4/127.0.0.1/tcp/4001/p2p/" + PEER,
                    "/ip6/::1/tcp/0",
                    "/dns4/example.com/tcp/443",
                    "/p2p/" + PEER
                }) {
            Multiaddr m = Multiaddr.parse(s);
            assertThat(Multiaddr.fromBytes(m.toBytes())).isEqualTo(m);
        }
        assertThat(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").toString())
                .isEqualTo("/ip4/127.0.0.1/tcp/4001");
        assertThat(Multiaddr.parse("/ipfs/" + PEER).toString()).isEqualTo("/p2p/" + PEER);
    }

    @Test
    void binaryFormMatchesTheSpec() {
        // /ip4/127.0.0.1/tcp/4001: 04 7f000001 06 0fa1
        assertThat(HexFormat.of().formatHex(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").toBytes()))
                .isEqualTo("047f000001060fa1");
    }

    @Test
    void givesTcpSocketAddressAndPeerId() {
        Multiaddr m = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + PEER);
        assertThat(m.toTcpSocketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 4001));
        assertThat(m.peerId().toBase58()).isEqualTo(PEER);
        assertThat(m.withoutPeerId().toString()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
    }

    @Test
    void rejectsBadInputWithReasons() {
        assertThatThrownBy(() -> Multiaddr.parse("ip4/1.2.3.4"))
                .hasMessage("multiaddr must start with '/': ip4/1.2.3.4");
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp/70000"))
                .hasMessage("invalid tcp port '70000' in /ip4/1.2.3.4/tcp/70000");
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/quic"))
                .hasMessageStartingWith("unsupported multiaddr protocol '/quic'");
        assertThatThrownBy(() -> Multiaddr.parse("/ip4"))
                .hasMessage("multiaddr /ip4 needs a value: /ip4");
        assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[] {0x04, 0x7f}))
                .hasMessage("binary multiaddr truncated in /ip4");
    }
}
