package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import java.util.List;

/**
 * The outcome of {@link Kademlia#putValue}: the closest peers that stored the record (echoed it),
 * why the others did not, and how many peers the closest-peers lookup asked.
 */
public record PutValueResult(List<PeerId> storedBy, List<String> refused, int queried) {}
