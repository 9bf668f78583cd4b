package io.ipdm.mesh.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamuxHandlerTest {
    private final List<YamuxStream> accepted = new ArrayList<>();
    private final StringBuilder received = new StringBuilder();
    private final YamuxHandler session =
            new YamuxHandler(
                    false,
                    YamuxConfig.defaults(),
                    s -> {
                        accepted.add(s);
                        s.setHandler(
                                new StreamHandler() {
                                    @Override
                                    public void onData(YamuxStream st, ByteBuf d) {
                                        received.append(d.toString(StandardCharsets.UTF_8));
                                    }

                                    @Override
                                    public void onRemoteClose(YamuxStream st) {
                                        received.append("<FIN>");
                                        st.closeWrite();
                                    }
                                });
                    });
    private final EmbeddedChannel ch = new EmbeddedChannel(session);

    private static ByteBuf frame(int version, int type, int flags, int id, long len, String data) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(version).writeByte(type).writeShort(flags).writeInt(id).writeInt((int) len);
        if (data != null) {
            b.writeBytes(data.getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    private int[] readHeader() {
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("an outbound frame").isNotNull();
        int[] h = {
            out.readUnsignedByte(),
            out.readUnsignedByte(),
            out.readUnsignedShort(),
            out.readInt(),
            out.readInt()
        };
        out.release();
        return h;
    }

    @Test
    void acceptsAStreamDeliversDataInPiecesAndHalfCloses() {
        ch.writeInbound(frame(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null));
        assertThat(accepted).hasSize(1);
        assertThat(readHeader())
                .containsExactly(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_ACK, 1, 0);
        // A data frame split across reads (truncated first part) is reassembled.
        ByteBuf f = frame(0, YamuxFrame.TYPE_DATA, 0, 1, 5, "hello");
        ch.writeInbound(f.readRetainedSlice(7));
        assertThat(received.toString()).isEmpty();
        ch.writeInbound(f);
        ch.writeInbound(frame(0, YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_FIN, 1, 0, ""));
        assertThat(received.toString()).isEqualTo("hello<FIN>");
        assertThat(readHeader())
                .containsExactly(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_FIN, 1, 0);
        assertThat(session.streamCount()).isZero();
    }

    @Test
    void answersPings() {
        ch.writeInbound(frame(0, YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, 12345, null));
        assertThat(readHeader())
                .containsExactly(0, YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, 12345);
    }

    private void assertProtocolError(ByteBuf bad, String reason) {
        ch.writeInbound(bad);
        assertThat(readHeader())
                .containsExactly(
                        0, YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
        assertThat(session.closeReason()).isEqualTo(reason);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void badVersionIsAProtocolError() {
        assertProtocolError(frame(1, 0, 0, 1, 0, null), "unsupported yamux version 1");
    }

    @Test
    void unknownTypeIsAProtocolError() {
        assertProtocolError(frame(0, 7, 0, 1, 0, null), "unknown yamux frame type 7");
    }

    @Test
    void oversizedDataFrameIsRejectedBeforeReadingIt() {
        assertProtocolError(
                frame(0, YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_SYN, 1, 1 << 30, null),
                "yamux data frame of 1073741824 bytes exceeds the receive window of 262144");
    }

    @Test
    void streamWithOurParityIsAProtocolError() {
        assertProtocolError(
                frame(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 2, 0, null),
                "peer opened stream 2 with our parity");
    }

    @Test
    void exceedingTheWindowIsAProtocolError() {
        ch.writeInbound(frame(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null));
        readHeader();
        // 100 KiB leave 156 KiB of window (no update yet: less than half was used); 200 KiB more is
        // too much.
        String first = "x".repeat(100 * 1024);
        ch.writeInbound(frame(0, YamuxFrame.TYPE_DATA, 0, 1, first.length(), first));
        assertThat(session.closeReason()).isNull();
        String second = "y".repeat(200 * 1024);
        assertProtocolError(
                frame(0, YamuxFrame.TYPE_DATA, 0, 1, second.length(), second),
                "yamux stream 1 sent 204800 bytes with 159744 left in the receive window it was"
                        + " given");
    }

    @Test
    void refusesStreamsBeyondTheLimitWithRst() {
        YamuxHandler small =
                new YamuxHandler(
                        false,
                        new YamuxConfig(256 * 1024, 1, 65536, 1 << 20),
                        s -> s.setHandler((x, d) -> {}));
        EmbeddedChannel c = new EmbeddedChannel(small);
        c.writeInbound(frame(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null));
        ((ByteBuf) c.readOutbound()).release();
        c.writeInbound(frame(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 3, 0, null));
        ByteBuf rst = c.readOutbound();
        assertThat(rst.getUnsignedShort(2)).isEqualTo(YamuxFrame.FLAG_RST);
        assertThat(rst.getInt(4)).isEqualTo(3);
        rst.release();
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void outboundWritesWaitForTheWindow() {
        YamuxStream s = session.openStream((x, d) -> {});
        assertThat(readHeader())
                .containsExactly(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 2, 0);
        s.write(new byte[300 * 1024]);
        int sent = 0;
        ByteBuf out;
        while ((out = ch.readOutbound()) != null) {
            sent += out.getInt(8);
            out.release();
        }
        assertThat(sent).isEqualTo(256 * 1024);
        ch.writeInbound(
                frame(0, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_ACK, 2, 100 * 1024, null));
        out = ch.readOutbound();
        assertThat(out.getInt(8)).isEqualTo(44 * 1024);
        out.release();
    }
}
