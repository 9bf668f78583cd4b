package io.ipdm.mesh.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.noise.CipherState;
import io.ipdm.mesh.noise.XXHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class NoiseCodecTest {
    private static CipherState[][] pair() {
        SecureRandom r = new SecureRandom();
        XXHandshake i =
                new XXHandshake(
                        true,
                        new byte[0],
                        XXHandshake.newPrivateKey(r),
                        XXHandshake.newPrivateKey(r));
        XXHandshake s =
                new XXHandshake(
                        false,
                        new byte[0],
                        XXHandshake.newPrivateKey(r),
                        XXHandshake.newPrivateKey(r));
        s.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(s.writeMessage(new byte[0]));
        s.readMessage(i.writeMessage(new byte[0]));
        return new CipherState[][] {i.split(), s.split()};
    }

    @Test
    void splitsLargeWritesAndRejectsTamperedFrames() {
        CipherState[][] cs = pair();
        EmbeddedChannel a = new EmbeddedChannel(new NoiseCodec(cs[0][0], cs[0][1]));
        EmbeddedChannel b = new EmbeddedChannel(new NoiseCodec(cs[1][1], cs[1][0]));
        byte[] big = new byte[200_000];
        new SecureRandom().nextBytes(big);
        a.writeOutbound(Unpooled.wrappedBuffer(big));
        ByteBuf wire = Unpooled.buffer();
        ByteBuf o;
        while ((o = a.readOutbound()) != null) {
            wire.writeBytes(o);
            o.release();
        }
        assertThat(wire.readableBytes())
                .isEqualTo(200_000 + 4 * (2 + 16)); // 4 frames of <= 65519 bytes
        b.writeInbound(wire);
        ByteBuf got = Unpooled.buffer();
        while ((o = b.readInbound()) != null) {
            got.writeBytes(o);
            o.release();
        }
        assertThat(ByteBufUtilBytes.of(got)).isEqualTo(big);

        a.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ByteBuf frame = a.readOutbound();
        frame.setByte(5, frame.getByte(5) ^ 1);
        assertThatThrownBy(() -> b.writeInbound(frame))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("message authentication failed (bad MAC)");
    }

    /** Copies a buffer's readable bytes. */
    static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf b) {
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        }
    }
}
