package io.ipdm.mesh.transport;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multistream.Negotiation;
import io.ipdm.mesh.yamux.YamuxHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Set;

/**
 * Inside the secure channel: multistream-select for {@code /yamux/1.0.0}, then hands over to the
 * session.
 */
final class MuxerNegotiationHandler extends ByteToMessageDecoder {
    static final String YAMUX = "/yamux/1.0.0";

    private final boolean initiator;
    private final PeerId remote;
    private final TransportConfig config;
    private final UpgradeListener listener;
    private Negotiation negotiation;

    MuxerNegotiationHandler(
            boolean initiator, PeerId remote, TransportConfig config, UpgradeListener listener) {
        this.initiator = initiator;
        this.remote = remote;
        this.config = config;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        negotiation =
                initiator
                        ? Negotiation.dialer(YAMUX, b -> ctx.writeAndFlush(b))
                        : Negotiation.listener(Set.of(YAMUX), b -> ctx.writeAndFlush(b));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (negotiation.feed(in) == null) {
            return;
        }
        YamuxHandler muxer =
                new YamuxHandler(
                        initiator,
                        config.yamux(),
                        stream -> listener.acceptStream(ctx.channel(), stream),
                        remote.toString(),
                        why -> listener.misbehaved(remote, why));
        ctx.pipeline().addAfter(ctx.name(), "yamux", muxer);
        // Register the connection before leftover bytes (maybe stream SYNs) reach the session.
        listener.upgraded(ctx.channel(), remote, initiator, muxer);
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        listener.failed(ctx.channel(), cause);
        ctx.close();
    }
}
