package io.ipdm.mesh.multistream;

import io.netty.buffer.ByteBuf;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One multistream-select negotiation as a state machine over incoming bytes, independent of the
 * transport. The dialer proposes one protocol; the listener accepts any of a set. Feed bytes with
 * {@link #feed}; when it returns a protocol id the negotiation is done and any bytes left in the
 * buffer belong to that protocol.
 */
public final class Negotiation {
    /** Listener gives up after this many rejected proposals. */
    public static final int MAX_ATTEMPTS = 16;

    private final boolean dialer;
    private final String proposal;
    private final Set<String> supported;
    private final Consumer<ByteBuf> send;
    private boolean headerSeen;
    private int attempts;
    private String result;

    private Negotiation(
            boolean dialer, String proposal, Set<String> supported, Consumer<ByteBuf> send) {
        this.dialer = dialer;
        this.proposal = proposal;
        this.supported = supported;
        this.send = send;
    }

    /** A dialer proposing {@code protocol}; sends the header and the proposal at once. */
    public static Negotiation dialer(String protocol, Consumer<ByteBuf> send) {
        Negotiation n = new Negotiation(true, protocol, Set.of(), send);
        send.accept(Multistream.encode(Multistream.PROTOCOL_ID, protocol));
        return n;
    }

    /** A listener accepting any of {@code supported}; sends its header at once. */
    public static Negotiation listener(Set<String> supported, Consumer<ByteBuf> send) {
        Negotiation n = new Negotiation(false, null, supported, send);
        send.accept(Multistream.encode(Multistream.PROTOCOL_ID));
        return n;
    }

    public String result() {
        return result;
    }

    /**
     * Consumes negotiation messages from {@code in}.
     *
     * @return the agreed protocol once done, else null
     * @throws MultistreamException when the peer refuses, misbehaves or gives up
     */
    public String feed(ByteBuf in) {
        while (result == null) {
            String msg = Multistream.tryRead(in);
            if (msg == null) {
                return null;
            }
            if (!headerSeen) {
                if (!msg.equals(Multistream.PROTOCOL_ID)) {
                    throw new MultistreamException(
                            "expected multistream header "
                                    + Multistream.PROTOCOL_ID
                                    + ", got '"
                                    + msg
                                    + "'");
                }
                headerSeen = true;
                continue;
            }
            if (dialer) {
                if (msg.equals(proposal)) {
                    result = msg;
                } else if (msg.equals(Multistream.NA)) {
                    throw new MultistreamException("peer does not support " + proposal);
                } else {
                    throw new MultistreamException(
                            "peer answered '" + msg + "' to the proposal " + proposal);
                }
            } else if (supported.contains(msg)) {
                send.accept(Multistream.encode(msg));
                result = msg;
            } else {
                if (++attempts > MAX_ATTEMPTS) {
                    throw new MultistreamException(
                            "peer proposed more than " + MAX_ATTEMPTS + " unsupported protocols");
                }
                send.accept(Multistream.encode(Multistream.NA));
            }
        }
        return result;
    }
}
