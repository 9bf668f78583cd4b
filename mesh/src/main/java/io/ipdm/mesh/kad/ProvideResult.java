package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import java.util.List;

/**
 * The outcome of {@link Kademlia#provide}: the closest peers found for the key, to which an
 * ADD_PROVIDER was sent (ADD_PROVIDER has no acknowledgement in the protocol).
 */
public record ProvideResult(List<PeerId> sentTo, int queried, boolean timedOut) {}
