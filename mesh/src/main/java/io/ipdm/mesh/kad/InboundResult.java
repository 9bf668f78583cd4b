package io.ipdm.mesh.kad;

/** The engine's answer to an inbound request: {@link Kademlia#onRequest}. */
public sealed interface InboundResult {
    /** Write this response on the request's stream. */
    record Respond(KadMessage message) implements InboundResult {}

    /** The request takes no response (ADD_PROVIDER); keep reading the stream. */
    record NoResponse() implements InboundResult {}

    /** Reset the stream; {@code reason} says why (for logs). */
    record Refuse(String reason) implements InboundResult {}
}
