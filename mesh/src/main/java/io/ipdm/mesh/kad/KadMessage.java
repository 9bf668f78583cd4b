package io.ipdm.mesh.kad;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A kad-dht RPC message ({@code Message} in the libp2p kad-dht spec). Requests and responses have
 * the same shape; a response carries the type of its request.
 *
 * @param type the RPC
 * @param key the key: a multihash for GET_PROVIDERS/ADD_PROVIDER, a peer id for FIND_NODE (empty
 *     for PING)
 * @param record the serialized {@code Record} of GET_VALUE/PUT_VALUE ({@link ValueRecords}), or
 *     null
 * @param closerPeers peers closer to the key
 * @param providerPeers providers of the key (ADD_PROVIDER: the sender itself)
 */
public record KadMessage(
        Type type,
        byte[] key,
        byte[] record,
        List<KadPeer> closerPeers,
        List<KadPeer> providerPeers) {

    /** {@code Message.MessageType}; the ordinal is the wire value. */
    public enum Type {
        PUT_VALUE,
        GET_VALUE,
        ADD_PROVIDER,
        GET_PROVIDERS,
        FIND_NODE,
        PING
    }

    public KadMessage {
        key = key == null ? new byte[0] : key;
        closerPeers = List.copyOf(closerPeers);
        providerPeers = List.copyOf(providerPeers);
    }

    public static KadMessage request(Type type, byte[] key) {
        return new KadMessage(type, key, null, List.of(), List.of());
    }

    public static KadMessage response(
            Type type, byte[] key, List<KadPeer> closer, List<KadPeer> providers) {
        return new KadMessage(type, key, null, closer, providers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadMessage m
                && m.type == type
                && Arrays.equals(m.key, key)
                && Arrays.equals(m.record, record)
                && m.closerPeers.equals(closerPeers)
                && m.providerPeers.equals(providerPeers);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return type
                + "(key="
                + HexFormat.of().formatHex(key)
                + ", closer="
                + closerPeers.size()
                + ", providers="
                + providerPeers.size()
                + ")";
    }
}
