package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes kad-dht {@code Message}s (libp2p kad-dht spec, "RPC messages"), with limits
 * fixed at construction. On a stream every message is prefixed by its unsigned-varint length; the
 * framing is {@link io.ipdm.mesh.transport.LengthPrefixedReader}'s, with {@link #maxMessageBytes()}
 * as its limit.
 *
 * <pre>
 * message Message {
 *   MessageType type = 1;            // PUT_VALUE=0 GET_VALUE=1 ADD_PROVIDER=2 GET_PROVIDERS=3 FIND_NODE=4 PING=5
 *   bytes key = 2;
 *   Record record = 3;               // kept as opaque bytes
 *   int32 clusterLevelRaw = 10;      // ignored
 *   repeated Peer closerPeers = 8;
 *   repeated Peer providerPeers = 9;
 *   message Peer { bytes id = 1; repeated bytes addrs = 2; ConnectionType connection = 3; }
 * }
 * </pre>
 *
 * Decoding fails with a {@link KadException} naming the field on malformed protobuf, an unknown
 * message type, an invalid peer id, or a broken limit (message bytes, key bytes, peers per message,
 * addresses per peer). Addresses that are well-formed protobuf but not multiaddrs IPDM can parse
 * (other transports, garbage) are skipped: peers legitimately advertise transports we do not speak.
 */
public final class KadCodec {
    private final int maxMessageBytes;
    private final int maxKeyBytes;
    private final int maxPeersPerMessage;
    private final int maxAddrsPerPeer;

    public KadCodec(
            int maxMessageBytes, int maxKeyBytes, int maxPeersPerMessage, int maxAddrsPerPeer) {
        this.maxMessageBytes = maxMessageBytes;
        this.maxKeyBytes = maxKeyBytes;
        this.maxPeersPerMessage = maxPeersPerMessage;
        this.maxAddrsPerPeer = maxAddrsPerPeer;
    }

    public static KadCodec of(KadConfig cfg) {
        return new KadCodec(
                cfg.maxMessageBytes(),
                cfg.maxKeyBytes(),
                cfg.maxPeersPerMessage(),
                cfg.maxAddrsPerPeer());
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public byte[] encode(KadMessage m) {
        ProtoWriter w = new ProtoWriter().uint64(1, m.type().ordinal());
        if (m.key().length > 0) {
            w.bytes(2, m.key());
        }
        if (m.record() != null) {
            w.bytes(3, m.record());
        }
        for (KadPeer p : m.closerPeers()) {
            w.message(8, peer(p));
        }
        for (KadPeer p : m.providerPeers()) {
            w.message(9, peer(p));
        }
        return w.toByteArray();
    }

    private static ProtoWriter peer(KadPeer p) {
        ProtoWriter w = new ProtoWriter().bytes(1, p.id().toBytes());
        for (Multiaddr a : p.addrs()) {
            w.bytes(2, a.toBytes());
        }
        if (p.connection() != KadPeer.Connectedness.NOT_CONNECTED) {
            w.uint64(3, p.connection().ordinal());
        }
        return w;
    }

    public KadMessage decode(byte[] bytes) {
        if (bytes.length > maxMessageBytes) {
            throw new KadException(
                    "kad message of "
                            + bytes.length
                            + " bytes exceeds the limit of "
                            + maxMessageBytes);
        }
        try {
            ProtoReader r = new ProtoReader(bytes, "kad Message");
            int type = 0;
            byte[] key = new byte[0];
            byte[] record = null;
            List<KadPeer> closer = new ArrayList<>();
            List<KadPeer> providers = new ArrayList<>();
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> {
                        long t = r.uint64();
                        if (t < 0 || t >= KadMessage.Type.values().length) {
                            throw new KadException("kad Message: unknown message type " + t);
                        }
                        type = (int) t;
                    }
                    case 2 -> {
                        key = r.bytes();
                        if (key.length > maxKeyBytes) {
                            throw new KadException(
                                    "kad Message: key of "
                                            + key.length
                                            + " bytes exceeds the limit of "
                                            + maxKeyBytes);
                        }
                    }
                    case 3 -> record = r.bytes();
                    case 8 -> closer.add(decodePeer(r.bytes(), "closerPeers", closer.size()));
                    case 9 ->
                            providers.add(decodePeer(r.bytes(), "providerPeers", providers.size()));
                    default -> r.skip();
                }
                if (closer.size() + providers.size() > maxPeersPerMessage) {
                    throw new KadException(
                            "kad Message: more than "
                                    + maxPeersPerMessage
                                    + " peers (closerPeers + providerPeers)");
                }
            }
            return new KadMessage(KadMessage.Type.values()[type], key, record, closer, providers);
        } catch (ProtobufException e) {
            throw new KadException("malformed kad message: " + e.getMessage(), e);
        }
    }

    private KadPeer decodePeer(byte[] bytes, String field, int index) {
        String where = "kad Message." + field + "[" + index + "]";
        ProtoReader r = new ProtoReader(bytes, where);
        PeerId id = null;
        List<Multiaddr> addrs = new ArrayList<>();
        int addrCount = 0;
        int conn = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> {
                    byte[] raw = r.bytes();
                    try {
                        id = PeerId.fromBytes(raw);
                    } catch (IllegalArgumentException e) { // bad multihash or inlined key
                        throw new KadException(where + ".id: " + e.getMessage(), e);
                    }
                }
                case 2 -> {
                    byte[] raw = r.bytes();
                    if (++addrCount > maxAddrsPerPeer) {
                        throw new KadException(
                                where + ": more than " + maxAddrsPerPeer + " addresses");
                    }
                    try {
                        addrs.add(Multiaddr.fromBytes(raw));
                    } catch (IllegalArgumentException e) {
                        // a transport we do not speak, or garbage: the peer stays usable
                    }
                }
                case 3 -> {
                    long c = r.uint64();
                    conn = c >= 0 && c < 4 ? (int) c : 0;
                }
                default -> r.skip();
            }
        }
        if (id == null) {
            throw new KadException(where + ": missing id");
        }
        return new KadPeer(id, addrs, KadPeer.Connectedness.values()[conn]);
    }
}
