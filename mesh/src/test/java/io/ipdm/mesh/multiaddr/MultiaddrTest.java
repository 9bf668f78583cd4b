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

    /** Binary forms from js-libp2p's {@code @multiformats/multiaddr} 13.0.3 for the same text. */
    @Test
    void webSocketAddressesMatchJsMultiaddr() {
        String[][] vectors = {
            {"/ip4/127.0.0.1/tcp/4001/ws", "047f000001060fa1dd03"},
            {"/dns4/example.com/tcp/443/wss", "360b6578616d706c652e636f6d0601bbde03"},
            {"/ip4/1.2.3.4/tcp/443/tls/ws", "04010203040601bbc003dd03"},
            {
                "/ip6/::1/tcp/80/ws/p2p/" + PEER,
                "2900000000000000000000000000000001060050dd03a503260024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
            }
        };
        for (String[] v : vectors) {
            Multiaddr m = Multiaddr.parse(v[0]);
            assertThat(HexFormat.of().formatHex(m.toBytes())).as(v[0]).isEqualTo(v[1]);
            Multiaddr back = Multiaddr.fromBytes(HexFormat.of().parseHex(v[1]));
            assertThat(back).isEqualTo(m);
            assertThat(back.toString()).isEqualTo(v[0].replace("::1", "0:0:0:0:0:0:0:1"));
        }
        Multiaddr ws = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/ws/");
        assertThat(ws.has(Protocol.WS)).isTrue();
        assertThat(ws.toTcpSocketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 4001));
        assertThat(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + PEER).encapsulate(Protocol.WS))
                .isEqualTo(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/ws/p2p/" + PEER));
        assertThat(ws.withHost(Protocol.IP4, "10.0.0.2"))
                .isEqualTo(Multiaddr.parse("/ip4/10.0.0.2/tcp/4001/ws"));
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
