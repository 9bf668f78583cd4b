package io.ipdm.mesh.transport;

import io.ipdm.mesh.noise.CipherState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.util.List;

/**
 * The Noise secure channel after the handshake (libp2p noise spec, "Wire Format"): every message is
 *
 * <pre>
 *   uint16be(len) ciphertext[len]      len <= 65535, ciphertext = ChaChaPoly(plaintext) with a 16-byte tag
 * </pre>
 *
 * Outbound buffers larger than one frame are split. A frame that fails authentication closes the
 * connection.
 */
final class NoiseCodec extends ByteToMessageCodec<ByteBuf> {
    static final int MAX_FRAME = 65535;
    static final int MAX_PLAINTEXT = MAX_FRAME - CipherState.TAG_LENGTH;

    private final CipherState encrypt;
    private final CipherState decrypt;

    NoiseCodec(CipherState encrypt, CipherState decrypt) {
        this.encrypt = encrypt;
        this.decrypt = decrypt;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) {
        while (msg.isReadable()) {
            int n = Math.min(msg.readableBytes(), MAX_PLAINTEXT);
            byte[] plain = bytes(msg, n);
            byte[] c = encrypt.encryptWithAd(null, plain, 0, n);
            out.writeShort(c.length);
            out.writeBytes(c);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 2) {
            int len = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() < 2 + len) {
                return;
            }
            in.skipBytes(2);
            byte[] c = bytes(in, len);
            out.add(Unpooled.wrappedBuffer(decrypt.decryptWithAd(null, c, 0, len)));
        }
    }

    private static byte[] bytes(ByteBuf b, int n) {
        byte[] copy = new byte[n];
        b.readBytes(copy);
        return copy;
    }
}
