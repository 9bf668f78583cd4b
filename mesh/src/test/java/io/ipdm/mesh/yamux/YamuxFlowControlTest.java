package io.ipdm.mesh.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Yamux flow control without sockets: frames in through an {@link EmbeddedChannel}, frames out read
 * back. Window is returned only for consumed bytes, paused streams hold data (and the FIN behind
 * it), and a connection's unconsumed bytes stay within its receive budget.
 */
class YamuxFlowControlTest {
    private static final int KIB = 1024;
    private static final int WINDOW = YamuxConfig.DEFAULT_WINDOW;

    private final Map<Integer, YamuxStream> accepted = new HashMap<>();
    private final Map<Integer, StringBuilder> received = new HashMap<>();
    private final List<String> misbehaviour = new ArrayList<>();
    private EmbeddedChannel ch;
    private YamuxHandler session;

    /** A listening session whose streams get a recording handler and then {@code onAccept}. */
    private void start(YamuxConfig config, Consumer<YamuxStream> onAccept) {
        session =
                new YamuxHandler(
                        false,
                        config,
                        s -> {
                            accepted.put(s.id(), s);
                            StringBuilder sb = new StringBuilder();
                            received.put(s.id(), sb);
                            s.setHandler(
                                    new StreamHandler() {
                                        @Override
                                        public void onData(YamuxStream st, ByteBuf d) {
                                            sb.append(d.toString(StandardCharsets.ISO_8859_1));
                                        }

                                        @Override
                                        public void onRemoteClose(YamuxStream st) {
                                            sb.append("<FIN>");
                                            st.closeWrite();
                                        }

                                        @Override
                                        public void onReset(YamuxStream st) {
                                            sb.append("<RST>");
                                        }
                                    });
                            onAccept.accept(s);
                        },
                        "12D3KooWTestPeer",
                        misbehaviour::add);
        ch = new EmbeddedChannel(session);
    }

    private static ByteBuf header(int type, int flags, int id, long len) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0).writeByte(type).writeShort(flags).writeInt(id).writeInt((int) len);
        return b;
    }

    private void open(int id) {
        ch.writeInbound(header(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0));
    }

    private void data(int id, int flags, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
        ch.writeInbound(
                Unpooled.wrappedBuffer(
                        header(YamuxFrame.TYPE_DATA, flags, id, p.length),
                        Unpooled.wrappedBuffer(p)));
    }

    private void data(int id, int bytes) {
        data(id, 0, "x".repeat(bytes));
    }

    /** Outbound frames since the last call, as {type, flags, stream, length}. */
    private List<int[]> sent() {
        List<int[]> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.add(
                    new int[] {
                        b.getUnsignedByte(1), b.getUnsignedShort(2), b.getInt(4), b.getInt(8)
                    });
            b.release();
        }
        return out;
    }

    /** Window granted back to the peer for {@code id} in {@code frames}. */
    private static long windowUpdates(List<int[]> frames, int id) {
        return frames.stream()
                .filter(f -> f[0] == YamuxFrame.TYPE_WINDOW_UPDATE && f[2] == id)
                .mapToLong(f -> f[3])
                .sum();
    }

    @Test
    void windowIsReturnedAsTheConsumerConsumesSynchronously() {
        start(YamuxConfig.defaults(), s -> {});
        open(1);
        sent(); // ACK
        data(1, 64 * KIB);
        assertThat(windowUpdates(sent(), 1)).isZero();
        data(1, 64 * KIB);
        // half the window consumed: returned in one update
        assertThat(windowUpdates(sent(), 1)).isEqualTo(128 * KIB);
        assertThat(session.unconsumedBytes()).isZero();
    }

    @Test
    void heldBytesReturnNoWindowUntilReleased() {
        start(YamuxConfig.defaults(), s -> {});
        open(1);
        sent();
        YamuxStream s = accepted.get(1);
        // The handler hands each chunk to later work: it holds what it was given.
        StreamHandler recording = s.handler();
        s.setHandler(
                (st, d) -> {
                    st.hold(d.readableBytes());
                    recording.onData(st, d);
                });
        for (int i = 0; i < 4; i++) {
            data(1, 64 * KIB);
        }
        assertThat(windowUpdates(sent(), 1)).as("nothing consumed, nothing returned").isZero();
        assertThat(s.unconsumedBytes()).isEqualTo(WINDOW);
        assertThat(session.unconsumedBytes()).isEqualTo(WINDOW);

        s.release(100 * KIB);
        assertThat(windowUpdates(sent(), 1)).as("less than half a window consumed").isZero();
        s.release(28 * KIB);
        assertThat(windowUpdates(sent(), 1)).isEqualTo(128 * KIB);
        s.release(128 * KIB);
        assertThat(windowUpdates(sent(), 1)).isEqualTo(128 * KIB);
        assertThat(session.unconsumedBytes()).isZero();
        // the peer may send a whole window again
        for (int i = 0; i < 4; i++) {
            data(1, 64 * KIB);
        }
        assertThat(ch.isOpen()).isTrue();
        assertThat(received.get(1)).hasSize(2 * WINDOW);
    }

    @Test
    void sendingPastTheWindowItWasGivenIsAProtocolErrorNamingTheStream() {
        start(YamuxConfig.defaults(), s -> s.pause());
        open(1);
        sent();
        for (int i = 0; i < 4; i++) {
            data(1, 64 * KIB);
        }
        data(1, 1);
        assertThat(session.closeReason())
                .isEqualTo(
                        "yamux stream 1 sent 1 bytes with 0 left in the receive window it was"
                                + " given");
        assertThat(misbehaviour)
                .containsExactly(
                        "yamux protocol error: yamux stream 1 sent 1 bytes with 0 left in the"
                                + " receive window it was given");
        assertThat(sent())
                .anySatisfy(
                        f ->
                                assertThat(f)
                                        .containsExactly(
                                                YamuxFrame.TYPE_GO_AWAY,
                                                0,
                                                0,
                                                YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void pausedStreamKeepsDataAndItsFinUntilResumed() {
        start(YamuxConfig.defaults(), YamuxStream::pause);
        open(1);
        sent();
        YamuxStream s = accepted.get(1);
        data(1, 0, "hello ");
        data(1, 0, "world");
        data(1, YamuxFrame.FLAG_FIN, "");
        assertThat(received.get(1).toString()).isEmpty();
        assertThat(s.unconsumedBytes()).isEqualTo(11);
        assertThat(session.unconsumedBytes()).isEqualTo(11);
        assertThat(session.streamCount()).isEqualTo(1);

        s.resume();
        assertThat(received.get(1).toString()).isEqualTo("hello world<FIN>");
        assertThat(session.unconsumedBytes()).isZero();
        assertThat(sent())
                .anySatisfy(
                        f ->
                                assertThat(f)
                                        .containsExactly(
                                                YamuxFrame.TYPE_WINDOW_UPDATE,
                                                YamuxFrame.FLAG_FIN,
                                                1,
                                                0));
        assertThat(session.streamCount()).isZero();
    }

    @Test
    void aStreamPausedMidwayReturnsWindowOnlyForWhatWasDelivered() {
        start(YamuxConfig.defaults(), s -> {});
        open(1);
        sent();
        YamuxStream s = accepted.get(1);
        data(1, 100 * KIB);
        s.pause();
        data(1, 100 * KIB);
        assertThat(windowUpdates(sent(), 1)).isZero();
        assertThat(received.get(1)).hasSize(100 * KIB);
        s.resume();
        assertThat(received.get(1)).hasSize(200 * KIB);
        assertThat(windowUpdates(sent(), 1)).isEqualTo(200 * KIB);
    }

    @Test
    void aPeerFloodingPausedStreamsIsHeldToTheBudgetAndItsExtraStreamsReset() {
        long budget = 1024 * KIB;
        start(new YamuxConfig(WINDOW, 64, 64 * KIB, 1 << 20, budget), YamuxStream::pause);
        long most = 0;
        // 8 streams x a full window each = 2 MiB unconsumed offered against a 1 MiB budget
        for (int id = 1; id <= 15; id += 2) {
            open(id);
            for (int i = 0; i < 4; i++) {
                data(id, 64 * KIB);
                most = Math.max(most, session.unconsumedBytes());
                if (session.unconsumedBytes() >= budget / 2) {
                    assertThat(ch.config().isAutoRead()).as("reading stops at half").isFalse();
                }
            }
        }
        assertThat(most).isLessThanOrEqualTo(budget);
        assertThat(session.unconsumedBytes()).isEqualTo(budget);
        List<int[]> out = sent();
        List<Integer> resets =
                out.stream().filter(f -> (f[1] & YamuxFrame.FLAG_RST) != 0).map(f -> f[2]).toList();
        assertThat(resets).containsExactly(9, 11, 13, 15);
        assertThat(received.get(9).toString()).isEqualTo("<RST>");
        assertThat(misbehaviour).hasSize(4);
        assertThat(misbehaviour.get(0))
                .isEqualTo(
                        "sent 1114112 bytes not yet consumed over its yamux streams, past the"
                                + " connection's receive budget of 1048576 bytes"
                                + " (YamuxConfig.maxUnconsumed); stream 9 with 65536 of them is"
                                + " reset");
        assertThat(ch.isOpen()).as("the session survives; only the extra streams go").isTrue();
        assertThat(session.readPaused()).isTrue();

        // The consumer catches up: reading restarts below a quarter of the budget.
        accepted.get(1).resume();
        accepted.get(3).resume();
        assertThat(session.readPaused()).isTrue();
        accepted.get(5).resume();
        assertThat(session.unconsumedBytes()).isEqualTo(WINDOW);
        assertThat(session.readPaused()).isFalse();
        assertThat(ch.config().isAutoRead()).isTrue();
        out = sent();
        for (int id : new int[] {1, 3, 5}) {
            assertThat(windowUpdates(out, id)).isEqualTo(WINDOW);
            assertThat(received.get(id)).hasSize(WINDOW);
        }
        assertThat(windowUpdates(out, 7)).isZero();
    }

    @Test
    void heldBytesStopReadingButResetNothing() {
        start(new YamuxConfig(WINDOW, 64, 64 * KIB, 1 << 20, 2L * WINDOW), s -> {});
        open(1);
        open(3);
        sent();
        // Each handler hands its data to slow work; the peer stays within its windows.
        for (int id : new int[] {1, 3}) {
            accepted.get(id).setHandler((st, d) -> st.hold(d.readableBytes()));
        }
        data(1, 128 * KIB);
        assertThat(ch.config().isAutoRead()).isTrue();
        data(3, 128 * KIB);
        assertThat(session.unconsumedBytes()).isEqualTo(2L * 128 * KIB);
        assertThat(ch.config().isAutoRead()).as("half the budget held: reading stops").isFalse();
        data(1, 128 * KIB);
        data(3, 128 * KIB);
        assertThat(session.unconsumedBytes()).isEqualTo(2L * WINDOW);
        assertThat(accepted.get(1).isReset()).isFalse();
        assertThat(misbehaviour).isEmpty();
        assertThat(windowUpdates(sent(), 1)).isZero();

        accepted.get(1).release(WINDOW);
        assertThat(ch.config().isAutoRead()).as("half the budget still held").isFalse();
        assertThat(windowUpdates(sent(), 1)).isEqualTo(WINDOW);
        accepted.get(3).release(WINDOW);
        assertThat(ch.config().isAutoRead()).as("under a quarter held: reading again").isTrue();
        assertThat(windowUpdates(sent(), 3)).isEqualTo(WINDOW);
    }

    @Test
    void holdUntilDoneReleasesAfterTheWorkEvenWhenItFails() {
        start(YamuxConfig.defaults(), s -> {});
        open(1);
        sent();
        YamuxStream s = accepted.get(1);
        List<Runnable> queue = new ArrayList<>();
        s.setHandler(
                (st, d) ->
                        queue.add(
                                st.holdUntilDone(
                                        d.readableBytes(),
                                        () -> {
                                            throw new IllegalStateException("work failed");
                                        })));
        data(1, 128 * KIB);
        assertThat(session.unconsumedBytes()).isEqualTo(128 * KIB);
        assertThat(windowUpdates(sent(), 1)).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.get(0).run())
                .hasMessage("work failed");
        assertThat(session.unconsumedBytes()).isZero();
        assertThat(windowUpdates(sent(), 1)).isEqualTo(128 * KIB);
    }
}
