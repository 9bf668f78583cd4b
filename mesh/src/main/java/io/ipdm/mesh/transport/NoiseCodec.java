package io.ipdm.mesh.transport;

import io.ipdm.mesh.noise.CipherState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The Noise secure channel after the handshake (libp2p noise spec, "Wire Format"): every message is
 *
 * <pre>
 *   uint16be(len) ciphertext[len]      len <= 65535, ciphertext = ChaChaPoly(plaintext) with a 16-byte tag
 * </pre>
 *
 * Outbound writes are buffered until the next flush and sealed together, up to one full frame each:
 * many small Yamux frames (a gossipsub forward is ~1 KiB) then cost one AEAD setup, one tag and one
 * socket write instead of one each. A frame that fails authentication closes the connection.
 */
final class NoiseCodec
        extends CombinedChannelDuplexHandler<NoiseCodec.Decoder, NoiseCodec.Encoder> {
    static final int MAX_FRAME = 65535;
    static final int MAX_PLAINTEXT = MAX_FRAME - CipherState.TAG_LENGTH;

    NoiseCodec(CipherState encrypt, CipherState decrypt) {
        super(new Decoder(decrypt), new Encoder(encrypt));
    }

    static final class Decoder extends ByteToMessageDecoder {
        private final CipherState decrypt;

        Decoder(CipherState decrypt) {
            this.decrypt = decrypt;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= 2) {
                int len = in.getUnsignedShort(in.readerIndex());
                if (in.readableBytes() < 2 + len) {
                    return;
                }
                in.skipBytes(2);
                byte[] c = new byte[len];
                in.readBytes(c);
                out.add(Unpooled.wrappedBuffer(decrypt.decryptWithAd(null, c, 0, len)));
            }
        }
    }

    static final class Encoder extends ChannelOutboundHandlerAdapter {
        /** Sealed early past this much buffered plaintext, to bound memory between flushes. */
        private static final int MAX_BUFFERED = 4 * MAX_PLAINTEXT;

        private final CipherState encrypt;
        private CompositeByteBuf pending;
        private final List<ChannelPromise> promises = new ArrayList<>();

        Encoder(CipherState encrypt) {
            this.encrypt = encrypt;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!(msg instanceof ByteBuf b)) {
                ctx.write(msg, promise);
                return;
            }
            if (pending == null) {
                pending = ctx.alloc().compositeHeapBuffer(Integer.MAX_VALUE);
            }
            pending.addComponent(true, b);
            if (!promise.isVoid()) {
                promises.add(promise);
            }
            if (pending.readableBytes() >= MAX_BUFFERED) {
                seal(ctx);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            seal(ctx);
            ctx.flush();
        }

        /** Encrypts everything buffered into frames and writes them (without flushing). */
        private void seal(ChannelHandlerContext ctx) {
            if (pending == null || !pending.isReadable()) {
                return;
            }
            CompositeByteBuf plain = pending;
            pending = null;
            List<ChannelPromise> done = promises.isEmpty() ? List.of() : List.copyOf(promises);
            promises.clear();
            io.netty.channel.ChannelFuture last = null;
            try {
                while (plain.isReadable()) {
                    int n = Math.min(plain.readableBytes(), MAX_PLAINTEXT);
                    byte[] p = new byte[n];
                    plain.readBytes(p);
                    byte[] frame = new byte[2 + n + CipherState.TAG_LENGTH];
                    frame[0] = (byte) ((n + CipherState.TAG_LENGTH) >>> 8);
                    frame[1] = (byte) (n + CipherState.TAG_LENGTH);
                    encrypt.encryptWithAd(p, frame, 2);
                    last = ctx.write(Unpooled.wrappedBuffer(frame));
                }
            } catch (RuntimeException e) {
                done.forEach(pr -> pr.tryFailure(e));
                throw e;
            } finally {
                plain.release();
            }
            if (!done.isEmpty()) {
                last.addListener(
                        f -> {
                            for (ChannelPromise pr : done) {
                                if (f.isSuccess()) {
                                    pr.trySuccess();
                                } else {
                                    pr.tryFailure(f.cause());
                                }
                            }
                        });
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            seal(ctx);
            ctx.flush();
            ctx.close(promise);
        }
    }
}
