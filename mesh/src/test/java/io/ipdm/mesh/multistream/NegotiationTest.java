package io.ipdm.mesh.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NegotiationTest {
    @Test
    void dialerAndListenerAgreeAndLeaveTrailingBytes() {
        ByteBuf toListener = Unpooled.buffer();
        ByteBuf toDialer = Unpooled.buffer();
        Negotiation d = Negotiation.dialer("/b/1", toListener::writeBytes);
        Negotiation l = Negotiation.listener(Set.of("/a/1", "/b/1"), toDialer::writeBytes);
        toListener.writeBytes("payload".getBytes(StandardCharsets.UTF_8));
        assertThat(l.feed(toListener)).isEqualTo("/b/1");
        assertThat(toListener.toString(StandardCharsets.UTF_8)).isEqualTo("payload");
        assertThat(d.feed(toDialer)).isEqualTo("/b/1");
    }

    @Test
    void wireFormatIsVarintLengthTextNewline() {
        assertThat(Multistream.encode("/noise").toString(StandardCharsets.ISO_8859_1))
                .isEqualTo("\u0007/noise\n");
    }

    @Test
    void listenerAnswersNaThenGivesUp() {
        ByteBuf out = Unpooled.buffer();
        Negotiation l = Negotiation.listener(Set.of("/a/1"), out::writeBytes);
        ByteBuf in = Multistream.encode(Multistream.PROTOCOL_ID, "/x/1");
        assertThat(l.feed(in)).isNull();
        Multistream.tryRead(out);
        assertThat(Multistream.tryRead(out)).isEqualTo("na");
        ByteBuf many = Unpooled.buffer();
        for (int i = 0; i < 20; i++) {
            many.writeBytes(Multistream.encode("/x/" + i));
        }
        assertThatThrownBy(() -> l.feed(many))
                .hasMessage("peer proposed more than 16 unsupported protocols");
    }

    @Test
    void rejectsMalformedMessages() {
        assertThatThrownBy(
                        () ->
                                Multistream.tryRead(
                                        Unpooled.wrappedBuffer(
                                                new byte[] {(byte) 0xff, (byte) 0xff, 0x7f})))
                .hasMessage("multistream message length 2097151 outside 1..1024");
        assertThatThrownBy(
                        () ->
                                Multistream.tryRead(
                                        Unpooled.wrappedBuffer(new byte[] {3, 'a', 'b', 'c'})))
                .hasMessage("multistream message does not end with a newline");
        assertThat(Multistream.tryRead(Unpooled.wrappedBuffer(new byte[] {5, 'a'}))).isNull();
        Negotiation d = Negotiation.dialer("/b/1", b -> {});
        assertThatThrownBy(() -> d.feed(Multistream.encode("/multistream/2.0.0")))
                .hasMessage(
                        "expected multistream header /multistream/1.0.0, got '/multistream/2.0.0'");
        Negotiation d2 = Negotiation.dialer("/b/1", b -> {});
        assertThatThrownBy(() -> d2.feed(Multistream.encode(Multistream.PROTOCOL_ID, "na")))
                .hasMessage("peer does not support /b/1");
    }
}
