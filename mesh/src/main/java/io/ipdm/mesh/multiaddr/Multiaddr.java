package io.ipdm.mesh.multiaddr;

import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multiaddr such as {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}: a list of (protocol, value)
 * parts with a text form and a binary form ({@code varint(code) value...}).
 */
public final class Multiaddr {
    /** One protocol and its value, in canonical text form (empty for none). */
    public record Part(Protocol protocol, String value) {}

    private final List<Part> parts;

    private Multiaddr(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public static Multiaddr parse(String text) {
        if (text == null || !text.startsWith("/")) {
            throw new MultiaddrException("multiaddr must start with '/': " + text);
        }
        String[] items = text.substring(1).split("/", -1);
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            if (items[i].isEmpty() && i == items.length - 1 && i > 0) {
                break; // trailing slash
            }
            Protocol p = Protocol.byName(items[i]);
            if (!p.hasValue()) {
                parts.add(new Part(p, ""));
                continue;
            }
            if (i + 1 >= items.length || items[i + 1].isEmpty()) {
                throw new MultiaddrException(
                        "multiaddr /" + p.protocolName() + " needs a value: " + text);
            }
            parts.add(new Part(p, canonical(p, items[++i], text)));
        }
        if (parts.isEmpty()) {
            throw new MultiaddrException("empty multiaddr");
        }
        return new Multiaddr(parts);
    }

    public static Multiaddr of(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        Protocol ip = a instanceof Inet4Address ? Protocol.IP4 : Protocol.IP6;
        return new Multiaddr(
                List.of(
                        new Part(ip, a.getHostAddress().replaceAll("%.*$", "")),
                        new Part(Protocol.TCP, Integer.toString(address.getPort()))));
    }

    private static String canonical(Protocol p, String value, String whole) {
        try {
            return switch (p) {
                case IP4 -> {
                    if (!value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                        throw new MultiaddrException(
                                "invalid ip4 address '" + value + "' in " + whole);
                    }
                    yield InetAddress.getByName(value).getHostAddress();
                }
                case IP6 -> {
                    if (!value.contains(":")) {
                        throw new MultiaddrException(
                                "invalid ip6 address '" + value + "' in " + whole);
                    }
                    InetAddress a = InetAddress.getByName(value);
                    yield a instanceof Inet6Address
                            ? a.getHostAddress()
                            : "::ffff:" + a.getHostAddress();
                }
                case TCP, UDP -> {
                    int port;
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65535) {
                        throw new MultiaddrException(
                                "invalid "
                                        + p.protocolName()
                                        + " port '"
                                        + value
                                        + "' in "
                                        + whole);
                    }
                    yield Integer.toString(port);
                }
                case DNS, DNS4, DNS6 -> value;
                case P2P -> PeerId.parse(value).toBase58();
                case TLS, WS, WSS -> throw new IllegalStateException("no value: " + p);
            };
        } catch (UnknownHostException e) {
            throw new MultiaddrException("invalid address '" + value + "' in " + whole);
        } catch (IdentityException e) {
            throw new MultiaddrException(
                    "invalid /p2p peer id in " + whole + ": " + e.getMessage());
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            out.writeBytes(Varint.encode(part.protocol().code()));
            out.writeBytes(valueBytes(part));
        }
        return out.toByteArray();
    }

    private static byte[] valueBytes(Part part) {
        try {
            return switch (part.protocol()) {
                case IP4, IP6 -> {
                    byte[] a = InetAddress.getByName(part.value()).getAddress();
                    if (part.protocol() == Protocol.IP6 && a.length == 4) {
                        byte[] v6 = new byte[16];
                        v6[10] = (byte) 0xFF;
                        v6[11] = (byte) 0xFF;
                        System.arraycopy(a, 0, v6, 12, 4);
                        a = v6;
                    }
                    yield a;
                }
                case TCP, UDP -> {
                    int port = Integer.parseInt(part.value());
                    yield new byte[] {(byte) (port >> 8), (byte) port};
                }
                case DNS, DNS4, DNS6 ->
                        lengthPrefixed(part.value().getBytes(StandardCharsets.UTF_8));
                case P2P -> lengthPrefixed(PeerId.parse(part.value()).toBytes());
                case TLS, WS, WSS -> new byte[0];
            };
        } catch (UnknownHostException e) {
            throw new MultiaddrException("invalid address " + part.value());
        }
    }

    private static byte[] lengthPrefixed(byte[] v) {
        byte[] len = Varint.encode(v.length);
        byte[] out = Arrays.copyOf(len, len.length + v.length);
        System.arraycopy(v, 0, out, len.length, v.length);
        return out;
    }

    public static Multiaddr fromBytes(byte[] bytes) {
        List<Part> parts = new ArrayList<>();
        int pos = 0;
        try {
            while (pos < bytes.length) {
                Varint.Decoded code = Varint.read(bytes, pos);
                pos += code.length();
                Protocol p = Protocol.byCode(code.value());
                int len;
                switch (p) {
                    case IP4 -> len = 4;
                    case IP6 -> len = 16;
                    case TCP, UDP -> len = 2;
                    case TLS, WS, WSS -> len = 0;
                    default -> {
                        Varint.Decoded l = Varint.read(bytes, pos);
                        pos += l.length();
                        if (l.value() > bytes.length - pos) {
                            throw new MultiaddrException(
                                    "binary multiaddr truncated in /" + p.protocolName());
                        }
                        len = (int) l.value();
                    }
                }
                if (len > bytes.length - pos) {
                    throw new MultiaddrException(
                            "binary multiaddr truncated in /" + p.protocolName());
                }
                byte[] v = Arrays.copyOfRange(bytes, pos, pos + len);
                pos += len;
                String text =
                        switch (p) {
                            case IP4, IP6 -> InetAddress.getByAddress(v).getHostAddress();
                            case TCP, UDP -> Integer.toString(((v[0] & 0xFF) << 8) | (v[1] & 0xFF));
                            case DNS, DNS4, DNS6 -> new String(v, StandardCharsets.UTF_8);
                            case P2P -> PeerId.fromBytes(v).toBase58();
                            case TLS, WS, WSS -> "";
                        };
                parts.add(new Part(p, text));
            }
        } catch (MultiformatException | IdentityException | UnknownHostException e) {
            throw new MultiaddrException("invalid binary multiaddr: " + e.getMessage());
        }
        if (parts.isEmpty()) {
            throw new MultiaddrException("empty binary multiaddr");
        }
        return new Multiaddr(parts);
    }

    public List<Part> parts() {
        return parts;
    }

    /** The value of the first part with protocol {@code p}, or null. */
    public String value(Protocol p) {
        for (Part part : parts) {
            if (part.protocol() == p) {
                return part.value();
            }
        }
        return null;
    }

    /** The /p2p peer id, or null when the address has none. */
    public PeerId peerId() {
        String v = value(Protocol.P2P);
        return v == null ? null : PeerId.parse(v);
    }

    public Multiaddr withPeerId(PeerId id) {
        List<Part> p = new ArrayList<>(withoutPeerId().parts);
        p.add(new Part(Protocol.P2P, id.toBase58()));
        return new Multiaddr(p);
    }

    /** Whether a part has protocol {@code p}. */
    public boolean has(Protocol p) {
        return parts.stream().anyMatch(x -> x.protocol() == p);
    }

    /**
     * This address with a value-less protocol ({@code /ws}) appended, before any {@code /p2p}:
     * {@code /ip4/1.2.3.4/tcp/80} becomes {@code /ip4/1.2.3.4/tcp/80/ws}.
     */
    public Multiaddr encapsulate(Protocol p) {
        if (p.hasValue()) {
            throw new IllegalArgumentException("/" + p.protocolName() + " needs a value");
        }
        List<Part> out = new ArrayList<>(withoutPeerId().parts);
        out.add(new Part(p, ""));
        String peer = value(Protocol.P2P);
        if (peer != null) {
            out.add(new Part(Protocol.P2P, peer));
        }
        return new Multiaddr(out);
    }

    /**
     * This address with its first part (the host) replaced and the rest kept: {@code
     * /ip4/0.0.0.0/tcp/80/ws} with {@code ip4 10.0.0.2} is {@code /ip4/10.0.0.2/tcp/80/ws}.
     */
    public Multiaddr withHost(Protocol p, String host) {
        String text = "/" + p.protocolName() + "/" + host;
        Part first = parse(text).parts.get(0);
        List<Part> out = new ArrayList<>(parts);
        out.set(0, first);
        return new Multiaddr(out);
    }

    public Multiaddr withoutPeerId() {
        List<Part> p = new ArrayList<>(parts);
        p.removeIf(x -> x.protocol() == Protocol.P2P);
        return new Multiaddr(p);
    }

    /** Host and port of a /ip4|ip6|dns*&#47;.../tcp/... address, for dialing. */
    public InetSocketAddress toTcpSocketAddress() {
        String port = value(Protocol.TCP);
        Part host = parts.get(0);
        if (port == null
                || host.protocol() == Protocol.TCP
                || host.protocol() == Protocol.P2P
                || host.protocol() == Protocol.UDP) {
            throw new MultiaddrException(
                    "not a TCP address (want /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>): " + this);
        }
        return new InetSocketAddress(host.value(), Integer.parseInt(port));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            sb.append('/').append(p.protocol().protocolName());
            if (p.protocol().hasValue()) {
                sb.append('/').append(p.value());
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr m && m.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }
}
