package io.ipdm.mesh.identify;

import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.util.List;

/**
 * What a peer said about itself in an identify message; {@code signedPeerRecord} is its signed peer
 * record envelope ({@link io.ipdm.mesh.identity.PeerRecord}), verified to be the peer's own, or
 * null when it sent none or one that does not verify.
 */
public record IdentifyInfo(
        String protocolVersion,
        String agentVersion,
        PublicKey publicKey,
        List<Multiaddr> listenAddrs,
        Multiaddr observedAddr,
        List<String> protocols,
        byte[] signedPeerRecord) {}
