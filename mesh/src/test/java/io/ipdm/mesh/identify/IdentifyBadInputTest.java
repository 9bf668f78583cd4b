package io.ipdm.mesh.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile identify answers and pushes, sent by a peer running our own stack with a hand-written
 * identify handler: another peer's key, a malformed protobuf, an oversized frame. The honest node
 * fails the identify naming the cause, closes the connection, and keeps serving an honest peer.
 */
class IdentifyBadInputTest {
    private final Host honest = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Host hostile = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Host other = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());

    @AfterEach
    void close() {
        honest.close();
        hostile.close();
        other.close();
    }

    /** The hostile peer answers identify requests with {@code answer(connection)}. */
    private void answerWith(Function<Connection, ByteBuf> answer) {
        hostile.addProtocol(
                Identify.PROTOCOL,
                (conn, stream) -> {
                    stream.write(answer.apply(conn));
                    stream.closeWrite();
                    return (s, data) -> data.release();
                });
    }

    private static byte[] identifyWithKey(Ed25519KeyPair key) {
        return new ProtoWriter()
                .bytes(1, key.publicKey().toProtobuf())
                .string(5, Identify.PROTOCOL_VERSION)
                .string(6, "liar/1.0")
                .toByteArray();
    }

    private void assertRefusedAndOthersServed(Identify id, String cause) throws Exception {
        honest.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Multiaddr hostileAddr = hostile.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Connection c = honest.dial(hostileAddr).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> id.identify(c).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining(cause);
        Wait.until(() -> !c.isOpen() && honest.connections().isEmpty());
        assertThat(id.refused()).isEqualTo(1);
        assertThat(id.info(hostile.peerId())).isNull();

        Ping.install(other);
        Identify.install(other, "honest/1.0", false);
        Multiaddr otherAddr = other.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Connection ok = honest.dial(otherAddr).get(10, TimeUnit.SECONDS);
        assertThat(id.identify(ok).get(10, TimeUnit.SECONDS).agentVersion())
                .isEqualTo("honest/1.0");
        assertThat(Ping.ping(ok).get(10, TimeUnit.SECONDS).isNegative()).isFalse();
    }

    @Test
    void anIdentifyWithAnotherPeersKeyIsRefused() throws Exception {
        Identify id = Identify.install(honest, "honest/1.0", false);
        Ping.install(honest);
        Ed25519KeyPair someoneElse = Ed25519KeyPair.generate();
        answerWith(c -> LengthPrefixedReader.frame(identifyWithKey(someoneElse)));
        assertRefusedAndOthersServed(id, "identify public key does not match peer");
    }

    @Test
    void aMalformedIdentifyIsRefused() throws Exception {
        Identify id = Identify.install(honest, "honest/1.0", false);
        Ping.install(honest);
        // field 1 (bytes) claims 100 bytes and has 3
        answerWith(c -> LengthPrefixedReader.frame(new byte[] {0x0a, 100, 1, 2, 3}));
        assertRefusedAndOthersServed(id, "Identify");
    }

    @Test
    void anOversizedIdentifyIsRefusedBeforeItIsRead() throws Exception {
        Identify id = Identify.install(honest, "honest/1.0", false);
        Ping.install(honest);
        answerWith(
                c -> {
                    ByteBuf b = Unpooled.buffer();
                    // a varint length of 16 MiB, then a little of it
                    b.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08});
                    b.writeBytes(new byte[1024]);
                    return b;
                });
        assertRefusedAndOthersServed(id, "exceeds the limit of 65536");
    }

    @Test
    void aPushWithAnotherPeersKeyClosesTheConnection() throws Exception {
        Identify id = Identify.install(honest, "honest/1.0", false);
        Multiaddr honestAddr = honest.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Connection c = hostile.dial(honestAddr).get(10, TimeUnit.SECONDS);
        YamuxStream s =
                c.newStream(
                                Identify.PUSH_PROTOCOL,
                                new StreamHandler() {
                                    @Override
                                    public void onData(YamuxStream st, ByteBuf data) {
                                        data.release();
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
        s.write(LengthPrefixedReader.frame(identifyWithKey(Ed25519KeyPair.generate())));
        s.closeWrite();
        Wait.until(() -> honest.connections().isEmpty());
        assertThat(id.refused()).isEqualTo(1);
        assertThat(id.info(hostile.peerId())).isNull();
    }

    /** Polls a condition (the honest side reacts on its event loop). */
    private static final class Wait {
        static void until(java.util.function.BooleanSupplier cond) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!cond.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out");
                }
                Thread.sleep(20);
            }
        }
    }
}
