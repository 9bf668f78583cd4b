package io.ipdm.mesh.transport;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multistream.Negotiation;
import io.ipdm.mesh.noise.CipherState;
import io.ipdm.mesh.noise.HandshakePayload;
import io.ipdm.mesh.noise.NoiseException;
import io.ipdm.mesh.noise.XXHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * Upgrades a raw TCP connection: multistream-select for {@code /noise}, then the Noise XX handshake
 * with libp2p payloads (frames {@code uint16be(len) message}). On success it installs {@link
 * NoiseCodec} and {@link MuxerNegotiationHandler} and removes itself; bytes already received pass
 * on to them.
 */
final class SecureUpgradeHandler extends ByteToMessageDecoder {
    static final String NOISE = "/noise";

    private enum State {
        SELECT,
        HANDSHAKE,
        DONE
    }

    private final boolean initiator;
    private final Ed25519KeyPair identity;
    private final byte[] noiseStatic;
    private final PeerId expectedPeer;
    private final TransportConfig config;
    private final UpgradeListener listener;
    private State state = State.SELECT;
    private Negotiation negotiation;
    private XXHandshake handshake;
    private PeerId remote;

    SecureUpgradeHandler(
            boolean initiator,
            Ed25519KeyPair identity,
            byte[] noiseStatic,
            PeerId expectedPeer,
            TransportConfig config,
            UpgradeListener listener) {
        this.initiator = initiator;
        this.identity = identity;
        this.noiseStatic = noiseStatic;
        this.expectedPeer = expectedPeer;
        this.config = config;
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        if (negotiation != null) {
            return;
        }
        handshake =
                new XXHandshake(
                        initiator,
                        new byte[0],
                        noiseStatic,
                        XXHandshake.newPrivateKey(new SecureRandom()));
        negotiation =
                initiator
                        ? Negotiation.dialer(NOISE, b -> ctx.writeAndFlush(b))
                        : Negotiation.listener(Set.of(NOISE), b -> ctx.writeAndFlush(b));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.SELECT) {
            if (negotiation.feed(in) == null) {
                return;
            }
            state = State.HANDSHAKE;
            if (initiator) {
                sendHandshake(ctx, handshake.writeMessage(new byte[0]));
            }
        }
        while (state == State.HANDSHAKE && in.readableBytes() >= 2) {
            int len = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() < 2 + len) {
                return;
            }
            in.skipBytes(2);
            byte[] msg = new byte[len];
            in.readBytes(msg);
            byte[] payload = handshake.readMessage(msg);
            if (initiator) {
                // message 2: the responder's identity
                remote = HandshakePayload.verify(payload, handshake.remoteStaticKey());
                checkExpected();
                sendHandshake(
                        ctx,
                        handshake.writeMessage(
                                HandshakePayload.create(identity, handshake.staticPublicKey())));
                finish(ctx);
            } else if (!handshake.isComplete()) {
                // message 1 read: answer with message 2
                sendHandshake(
                        ctx,
                        handshake.writeMessage(
                                HandshakePayload.create(identity, handshake.staticPublicKey())));
            } else {
                remote = HandshakePayload.verify(payload, handshake.remoteStaticKey());
                finish(ctx);
            }
        }
    }

    private void checkExpected() {
        if (expectedPeer != null && !expectedPeer.equals(remote)) {
            throw new NoiseException(
                    "dialed peer " + expectedPeer + " but the remote authenticated as " + remote);
        }
    }

    private static void sendHandshake(ChannelHandlerContext ctx, byte[] msg) {
        ByteBuf b = Unpooled.buffer(2 + msg.length);
        b.writeShort(msg.length);
        b.writeBytes(msg);
        ctx.writeAndFlush(b);
    }

    private void finish(ChannelHandlerContext ctx) {
        state = State.DONE;
        CipherState[] cs = handshake.split();
        CipherState enc = initiator ? cs[0] : cs[1];
        CipherState dec = initiator ? cs[1] : cs[0];
        String name = ctx.name();
        ctx.pipeline().addAfter(name, "noise", new NoiseCodec(enc, dec));
        // Above the cipher, so the writes of one read batch (or event loop task) are sealed
        // together.
        ctx.pipeline().addAfter("noise", "flush", new FlushConsolidationHandler(64, true));
        ctx.pipeline()
                .addAfter(
                        "flush",
                        "muxer-select",
                        new MuxerNegotiationHandler(initiator, remote, config, listener));
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        listener.failed(ctx.channel(), cause);
        ctx.close();
    }
}
