package io.ipdm.mesh.peers;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer exchange messages ({@value PeerMonitor#PX_PROTOCOL}), protobuf:
 *
 * <pre>
 * message Request  { uint64 count = 1; }                    // 1..MAX_PEERS
 * message Response { repeated Peer peers = 1; }
 * message Peer     { bytes id = 1; repeated bytes addr = 2; } // at most MAX_ADDRESSES addrs
 * </pre>
 *
 * Decoding refuses more peers or addresses than asked or allowed, naming the limit.
 */
public final class PeerExchangeCodec {
    public static final int MAX_PEERS = 32;
    public static final int MAX_RESPONSE = 64 << 10;

    private PeerExchangeCodec() {}

    /** One introduced peer. */
    public record Intro(PeerId peer, List<Multiaddr> addresses) {}

    public static byte[] request(int count) {
        return new ProtoWriter().uint64(1, count).toByteArray();
    }

    /** The count asked for, checked against {@link #MAX_PEERS}. */
    public static int decodeRequest(byte[] b) {
        ProtoReader r = new ProtoReader(b, "PeerExchangeRequest");
        long n = -1;
        while (r.next()) {
            if (r.field() == 1) {
                n = r.uint64();
            } else {
                r.skip();
            }
        }
        if (n < 1 || n > MAX_PEERS) {
            throw new IllegalArgumentException(
                    "peer exchange: asked for " + n + " peers; 1.." + MAX_PEERS + " may be asked");
        }
        return (int) n;
    }

    public static byte[] response(List<PeerInfo> peers) {
        ProtoWriter w = new ProtoWriter();
        for (PeerInfo p : peers) {
            ProtoWriter pw = new ProtoWriter().bytes(1, p.peer().toBytes());
            for (Multiaddr a :
                    p.addresses()
                            .subList(
                                    0,
                                    Math.min(p.addresses().size(), IdentityStore.MAX_ADDRESSES))) {
                pw.bytes(2, a.toBytes());
            }
            w.bytes(1, pw.toByteArray());
        }
        return w.toByteArray();
    }

    /** The introductions, at most {@code asked}; a malformed or oversized answer is refused. */
    public static List<Intro> decodeResponse(byte[] b, int asked) {
        ProtoReader r = new ProtoReader(b, "PeerExchangeResponse");
        List<Intro> out = new ArrayList<>();
        while (r.next()) {
            if (r.field() != 1) {
                r.skip();
                continue;
            }
            if (out.size() >= asked) {
                throw new IllegalArgumentException(
                        "peer exchange: more than the " + asked + " peers asked for");
            }
            ProtoReader p = new ProtoReader(r.bytes(), "Peer");
            PeerId id = null;
            List<Multiaddr> addrs = new ArrayList<>();
            while (p.next()) {
                switch (p.field()) {
                    case 1 -> id = PeerId.fromBytes(p.bytes());
                    case 2 -> {
                        if (addrs.size() >= IdentityStore.MAX_ADDRESSES) {
                            throw new IllegalArgumentException(
                                    "peer exchange: more than "
                                            + IdentityStore.MAX_ADDRESSES
                                            + " addresses for one peer");
                        }
                        addrs.add(Multiaddr.fromBytes(p.bytes()));
                    }
                    default -> p.skip();
                }
            }
            if (id == null) {
                throw new IllegalArgumentException("peer exchange: a peer without an id");
            }
            out.add(new Intro(id, addrs));
        }
        return out;
    }
}
