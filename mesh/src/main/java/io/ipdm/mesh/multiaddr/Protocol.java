package io.ipdm.mesh.multiaddr;

/**
 * The multiaddr protocols the mesh understands, with their multicodec codes. {@code ws}, {@code
 * wss} and {@code tls} take no value ({@code /ip4/1.2.3.4/tcp/443/tls/ws}).
 */
public enum Protocol {
    IP4("ip4", 0x04),
    TCP("tcp", 0x06),
    UDP("udp", 0x0111),
    DNS("dns", 0x35),
    DNS4("dns4", 0x36),
    DNS6("dns6", 0x37),
    IP6("ip6", 0x29),
    P2P("p2p", 0x01A5),
    TLS("tls", 0x01C0, false),
    WS("ws", 0x01DD, false),
    WSS("wss", 0x01DE, false);

    private final String name;
    private final int code;
    private final boolean hasValue;

    Protocol(String name, int code) {
        this(name, code, true);
    }

    Protocol(String name, int code, boolean hasValue) {
        this.name = name;
        this.code = code;
        this.hasValue = hasValue;
    }

    /** Whether a value follows the protocol name (false for ws, wss, tls). */
    public boolean hasValue() {
        return hasValue;
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
                        + "' (supported: ip4, ip6, tcp, udp, dns, dns4, dns6, p2p, ws, wss, tls)");
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
