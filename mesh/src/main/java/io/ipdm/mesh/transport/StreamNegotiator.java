package io.ipdm.mesh.transport;

import io.ipdm.mesh.multistream.MultistreamException;
import io.ipdm.mesh.multistream.Negotiation;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs multistream-select on a fresh stream, then swaps in the protocol's handler and passes it any
 * bytes that arrived behind the negotiation.
 */
final class StreamNegotiator implements StreamHandler {
    private final Negotiation negotiation;
    private final Function<String, StreamHandler> onAgreed;
    private final CompletableFuture<YamuxStream> result;
    private final int maxBytes;
    private final ByteBuf buffer = Unpooled.buffer();

    private StreamNegotiator(
            Negotiation negotiation,
            Function<String, StreamHandler> onAgreed,
            CompletableFuture<YamuxStream> result,
            int maxBytes) {
        this.negotiation = negotiation;
        this.onAgreed = onAgreed;
        this.result = result;
        this.maxBytes = maxBytes;
    }

    static CompletableFuture<YamuxStream> dial(
            YamuxStream stream, String protocol, StreamHandler handler, int maxBytes) {
        CompletableFuture<YamuxStream> f = new CompletableFuture<>();
        stream.setHandler(
                new StreamNegotiator(
                        Negotiation.dialer(protocol, stream::write), p -> handler, f, maxBytes));
        return f;
    }

    static void listen(
            YamuxStream stream,
            Set<String> protocols,
            Function<String, StreamHandler> onAgreed,
            int maxBytes) {
        stream.setHandler(
                new StreamNegotiator(
                        Negotiation.listener(protocols, stream::write), onAgreed, null, maxBytes));
    }

    @Override
    public void onData(YamuxStream stream, ByteBuf data) {
        buffer.writeBytes(data);
        if (buffer.readableBytes() > maxBytes) {
            fail(
                    stream,
                    new MultistreamException(
                            "stream sent more than " + maxBytes + " bytes while negotiating"));
            return;
        }
        String agreed;
        try {
            agreed = negotiation.feed(buffer);
        } catch (MultistreamException e) {
            fail(stream, e);
            return;
        }
        if (agreed == null) {
            return;
        }
        StreamHandler next = onAgreed.apply(agreed);
        stream.setHandler(next);
        if (result != null) {
            result.complete(stream);
        }
        if (buffer.isReadable() && stream.handler() == next) {
            next.onData(stream, buffer);
        }
        buffer.release();
    }

    @Override
    public void onRemoteClose(YamuxStream stream) {
        fail(stream, new MultistreamException("stream closed during protocol negotiation"));
    }

    @Override
    public void onReset(YamuxStream stream) {
        if (result != null) {
            result.completeExceptionally(
                    new MultistreamException("stream reset during protocol negotiation"));
        }
        if (buffer.refCnt() > 0) {
            buffer.release();
        }
    }

    private void fail(YamuxStream stream, RuntimeException e) {
        if (result != null) {
            result.completeExceptionally(e);
        }
        stream.reset();
    }
}
