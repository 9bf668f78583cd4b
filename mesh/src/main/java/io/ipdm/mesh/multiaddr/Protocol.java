package io.ipdm.mesh.multiaddr;

/** The multiaddr protocols the mesh understands, with their multicodec codes. */
public enum Protocol {
    IP4("ip4", 0x04),
    TCP("tcp", 0x06),
    UDP("udp", 0x0111),
    DNS("dns", 0x35),
    DNS4("dns4", 0x36),
    DNS6("dns6", 0x37),
    IP6("ip6", 0x29),
    P2P("p2p", 0x01A5);

    private final String name;
    private final int code;

    Protocol(String name, int code) {
        this.name = name;
        this.code = code;
    }

    public String protocolName() {
        return name;
    }

    public int code() {
        return code;
    }

    static Protocol byName(String name) {
        // "ipfs" is the legacy name of p2p.
        String n = name.equals("ipfs") ? "p2p" : name;
        for (Protocol p : values()) {
            if (p.name.equals(n)) {
                return p;
            }
        }
        throw new MultiaddrException(
                "unsupported multiaddr protocol '/"
                        + name
                        + "' (supported: ip4, ip6, tcp, udp, dns, dns4, dns6, p2p)");
    }

    static Protocol byCode(long code) {
        for (Protocol p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new MultiaddrException(
                "unsupported multiaddr protocol code 0x" + Long.toHexString(code));
    }
}
