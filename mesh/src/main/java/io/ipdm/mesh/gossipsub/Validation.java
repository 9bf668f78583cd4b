package io.ipdm.mesh.gossipsub;

/**
 * A topic validator's verdict on a message (libp2p pubsub's validation results): {@code ACCEPT}
 * delivers and forwards it; {@code IGNORE} drops it without forwarding and without penalty (valid,
 * but not wanted here, e.g. a validly signed record from an author this node does not accept);
 * {@code REJECT} drops it and counts it as invalid (P4) for the peer that sent it.
 */
public enum Validation {
    ACCEPT,
    IGNORE,
    REJECT
}
