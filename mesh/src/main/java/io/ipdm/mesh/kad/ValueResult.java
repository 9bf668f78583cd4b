package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;

/**
 * The outcome of {@link Kademlia#getValue}: the best valid value found (null when none), the peer
 * that sent it (ourselves when held here), and the lookup's figures.
 */
public record ValueResult(byte[] value, PeerId from, LookupResult lookup) {}
