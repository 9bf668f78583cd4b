package io.ipdm.lakes.gateway;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsRecord;

/** Finds a name's verified IPNS record (the node's DHT); what the gateway's {@code /ipns/} uses. */
@FunctionalInterface
public interface NameResolver {
    /**
     * @return the best valid record, or null when none is found
     * @throws io.ipdm.mesh.ipns.IpnsException when the lookup fails
     */
    IpnsRecord resolve(PeerId name) throws InterruptedException;
}
