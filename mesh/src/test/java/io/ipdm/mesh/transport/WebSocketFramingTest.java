package io.ipdm.mesh.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.yamux.YamuxHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link WebSocketFraming} on an {@link EmbeddedChannel}: frames to bytes and back, and limits. */
class WebSocketFramingTest {
    private static final WebSocketConfig CFG = new WebSocketConfig(65537, 100_000, 4096);

    private final List<Throwable> failures = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final UpgradeListener listener =
            new UpgradeListener() {
                @Override
                public void upgraded(
                        Channel channel, PeerId remote, boolean outbound, YamuxHandler muxer) {}

                @Override
                public void failed(Channel channel, Throwable cause) {
                    failures.add(cause);
                }

                @Override
                public void acceptStream(Channel channel, YamuxStream stream) {}
            };

    private EmbeddedChannel open() {
        EmbeddedChannel ch =
                new EmbeddedChannel(
                        new WebSocketFraming(CFG, true, opened::incrementAndGet, listener));
        ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        return ch;
    }

    @Test
    void binaryFramesAndContinuationsBecomeOneByteStream() {
        EmbeddedChannel ch = open();
        assertThat(opened).hasValue(1);
        ch.writeInbound(new BinaryWebSocketFrame(false, 0, bytes("ab")));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, bytes("cd")));
        ch.writeInbound(new BinaryWebSocketFrame(bytes("ef")));
        StringBuilder got = new StringBuilder();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            got.append(b.toString(java.nio.charset.StandardCharsets.US_ASCII));
            b.release();
        }
        assertThat(got.toString()).isEqualTo("abcdef");
        assertThat(failures).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bytesBeforeTheHandshakeEventArePassedOnAfterIt() {
        EmbeddedChannel ch =
                new EmbeddedChannel(
                        new WebSocketFraming(CFG, true, opened::incrementAndGet, listener));
        ch.writeInbound(new BinaryWebSocketFrame(bytes("early")));
        assertThat((Object) ch.readInbound()).isNull();
        ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        ByteBuf b = ch.readInbound();
        assertThat(b.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("early");
        b.release();
        ch.finishAndReleaseAll();
    }

    /**
     * A listener installs the upgrade (which sends the multistream header) only once the dialer
     * spoke: js-libp2p and browsers drop a message that arrives before their listener is attached.
     */
    @Test
    void aListenerOpensAtTheDialersFirstBytesNotAtTheHandshake() {
        EmbeddedChannel ch =
                new EmbeddedChannel(
                        new WebSocketFraming(CFG, false, opened::incrementAndGet, listener));
        ch.pipeline()
                .fireUserEventTriggered(
                        new io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler
                                .HandshakeComplete(
                                "/", io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE, null));
        assertThat(opened).hasValue(0);
        ch.writeInbound(new BinaryWebSocketFrame(bytes("first")));
        assertThat(opened).hasValue(1);
        ByteBuf b = ch.readInbound();
        assertThat(b.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("first");
        b.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void writesBecomeBinaryFramesNoLargerThanTheLimit() {
        EmbeddedChannel ch = open();
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[150_000]));
        List<Integer> sizes = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            assertThat(o).isInstanceOf(BinaryWebSocketFrame.class);
            sizes.add(((BinaryWebSocketFrame) o).content().readableBytes());
            ((BinaryWebSocketFrame) o).release();
        }
        assertThat(sizes).containsExactly(65537, 65537, 150_000 - 2 * 65537);
        ch.finishAndReleaseAll();
    }

    @Test
    void aTextFrameEndsTheConnection() {
        EmbeddedChannel ch = open();
        ch.writeInbound(new TextWebSocketFrame("hello"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(failures)
                .singleElement()
                .extracting(Throwable::getMessage)
                .isEqualTo(
                        "WebSocket peer embedded sent a TextWebSocketFrame; libp2p over WebSockets"
                                + " uses binary frames only");
    }

    @Test
    void aMessageLongerThanTheLimitEndsTheConnection() {
        EmbeddedChannel ch = open();
        ch.writeInbound(
                new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[60_000])));
        ByteBuf first = ch.readInbound();
        first.release();
        ch.writeInbound(
                new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[60_000])));
        assertThat(ch.isOpen()).isFalse();
        assertThat(failures)
                .singleElement()
                .extracting(Throwable::getMessage)
                .isEqualTo(
                        "WebSocket message from embedded is longer than the limit of 100000 bytes"
                                + " (maxMessageBytes)");
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void anOversizedFrameNamesTheLimit() {
        EmbeddedChannel ch =
                new EmbeddedChannel(
                        new WebSocket08FrameDecoder(
                                WebSocketDecoderConfig.newBuilder()
                                        .maxFramePayloadLength(CFG.maxFrameBytes())
                                        .expectMaskedFrames(false)
                                        .build()),
                        new WebSocketFraming(CFG, true, opened::incrementAndGet, listener));
        ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        // FIN+binary, unmasked, 64-bit length 100 000 (limit 65 537)
        ch.writeInbound(
                Unpooled.wrappedBuffer(
                        new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 0, 1, (byte) 0x86, (byte) 0xA0}));
        assertThat(failures)
                .singleElement()
                .extracting(Throwable::getMessage)
                .isEqualTo(
                        "WebSocket frame from embedded is larger than the limit of 65537 bytes"
                                + " (maxFrameBytes); closed with status 1009");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void limitsAreCheckedAtConstruction() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new WebSocketConfig(1000, 2000, 4096))
                .hasMessage("maxFrameBytes must be at least 65537 (one Noise frame), got 1000");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new WebSocketConfig(100_000, 70_000, 4096))
                .hasMessage("maxMessageBytes (70000) must be at least maxFrameBytes (100000)");
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
