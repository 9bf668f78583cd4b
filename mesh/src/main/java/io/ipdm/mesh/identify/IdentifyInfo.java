package io.ipdm.mesh.identify;

import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.util.List;

/** What a peer said about itself in an identify message. */
public record IdentifyInfo(
        String protocolVersion,
        String agentVersion,
        PublicKey publicKey,
        List<Multiaddr> listenAddrs,
        Multiaddr observedAddr,
        List<String> protocols) {}
