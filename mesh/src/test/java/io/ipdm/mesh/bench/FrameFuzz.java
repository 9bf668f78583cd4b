package io.ipdm.mesh.bench;

import io.ipdm.mesh.gossipsub.GossipException;
import io.ipdm.mesh.gossipsub.PubSubMessage;
import io.ipdm.mesh.gossipsub.Rpc;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.MultiaddrException;
import io.ipdm.mesh.multistream.Multistream;
import io.ipdm.mesh.multistream.MultistreamException;
import io.ipdm.mesh.multistream.Negotiation;
import io.ipdm.mesh.noise.HandshakePayload;
import io.ipdm.mesh.noise.NoiseException;
import io.ipdm.mesh.noise.XXHandshake;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.YamuxConfig;
import io.ipdm.mesh.yamux.YamuxException;
import io.ipdm.mesh.yamux.YamuxHandler;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.protobuf.ProtobufException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Seeded random-mutation fuzzing of the frame and message decoders: each target gets valid seed
 * inputs mutated (bit flips, byte overwrites, insertions, deletions, truncation, length-field
 * boundary values, splicing). A finding is any throwable other than the decoder's documented
 * rejection exceptions (so an NPE, an index error or an OutOfMemoryError count), or a Yamux session
 * that buffers more than its limits allow.
 *
 * <pre>
 * mvn -q -o -pl mesh test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.ipdm.mesh.bench.FrameFuzz -Dexec.args="SEED SECONDS_PER_TARGET"
 * </pre>
 */
public final class FrameFuzz {
    private static final Set<Class<? extends Throwable>> REJECTIONS =
            Set.of(
                    GossipException.class,
                    ProtobufException.class,
                    IdentityException.class,
                    MultiaddrException.class,
                    MultiformatException.class,
                    MultistreamException.class,
                    NoiseException.class,
                    FrameException.class,
                    YamuxException.class);

    private record Target(String name, List<byte[]> seeds, Consumer<byte[]> run) {}

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Random r = new Random(seed);
        Map<String, long[]> results = new LinkedHashMap<>();
        List<String> findings = new ArrayList<>();
        for (Target t : targets()) {
            long execs = 0;
            long rejected = 0;
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                byte[] input = mutate(r, t.seeds(), t.seeds().get(r.nextInt(t.seeds().size())));
                execs++;
                try {
                    t.run().accept(input);
                } catch (Throwable e) {
                    if (isRejection(e)) {
                        rejected++;
                    } else if (findings.size() < 20) {
                        findings.add(
                                t.name()
                                        + ": "
                                        + e
                                        + " on input "
                                        + java.util.HexFormat.of().formatHex(input));
                    } else {
                        findings.add(t.name() + ": " + e);
                    }
                }
            }
            results.put(t.name(), new long[] {execs, rejected});
        }
        System.out.printf(Locale.ROOT, "%-22s %12s %12s%n", "target", "executions", "rejected");
        long total = 0;
        for (Map.Entry<String, long[]> e : results.entrySet()) {
            System.out.printf(
                    Locale.ROOT, "%-22s %12d %12d%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
            total += e.getValue()[0];
        }
        System.out.println(
                "total executions "
                        + total
                        + ", findings "
                        + findings.size()
                        + " (seed "
                        + seed
                        + ")");
        findings.stream().limit(20).forEach(f -> System.out.println("FINDING " + f));
        System.exit(findings.isEmpty() ? 0 : 1);
    }

    private static boolean isRejection(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            for (Class<? extends Throwable> k : REJECTIONS) {
                if (k.isInstance(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] mutate(Random r, List<byte[]> seeds, byte[] base) {
        byte[] b = base.clone();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(7)) {
                case 0 -> {
                    if (b.length > 0) {
                        int p = r.nextInt(b.length);
                        b[p] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> {
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] =
                                (byte) new int[] {0, 0x7f, 0x80, 0xff, 1}[r.nextInt(5)];
                    }
                }
                case 2 -> {
                    int p = r.nextInt(b.length + 1);
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, p);
                    c[p] = (byte) r.nextInt(256);
                    System.arraycopy(b, p, c, p + 1, b.length - p);
                    b = c;
                }
                case 3 -> {
                    if (b.length > 0) {
                        int p = r.nextInt(b.length);
                        byte[] c = new byte[b.length - 1];
                        System.arraycopy(b, 0, c, 0, p);
                        System.arraycopy(b, p + 1, c, p, b.length - p - 1);
                        b = c;
                    }
                }
                case 4 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 5 -> {
                    if (b.length >= 4) {
                        int p = r.nextInt(b.length - 3);
                        int v =
                                new int[] {0, 1, 0x7fffffff, 0xffffffff, 0x40000, 0x3ffff}
                                        [r.nextInt(6)];
                        b[p] = (byte) (v >>> 24);
                        b[p + 1] = (byte) (v >>> 16);
                        b[p + 2] = (byte) (v >>> 8);
                        b[p + 3] = (byte) v;
                    }
                }
                default -> {
                    byte[] o = seeds.get(r.nextInt(seeds.size()));
                    int cut = r.nextInt(b.length + 1);
                    int from = r.nextInt(o.length + 1);
                    byte[] c = new byte[cut + o.length - from];
                    System.arraycopy(b, 0, c, 0, cut);
                    System.arraycopy(o, from, c, cut, o.length - from);
                    b = c;
                }
            }
        }
        return b;
    }

    private static List<Target> targets() {
        Ed25519KeyPair k = Ed25519KeyPair.generate(new SecureRandom(new byte[] {1}));
        List<Target> ts = new ArrayList<>();

        // Yamux: a session fed mutated frame sequences, split at random points.
        List<byte[]> yamuxSeeds = new ArrayList<>();
        yamuxSeeds.add(frames(new int[][] {{0, 1, 1, 1, 0}, {0, 0, 0, 1, 5}}, "hello"));
        yamuxSeeds.add(frames(new int[][] {{0, 2, 1, 0, 7}, {0, 3, 0, 0, 0}}, ""));
        yamuxSeeds.add(
                frames(new int[][] {{0, 0, 1, 3, 3}, {0, 1, 4, 3, 100}, {0, 0, 8, 3, 0}}, "abc"));
        ts.add(
                new Target(
                        "yamux-session",
                        yamuxSeeds,
                        in -> {
                            YamuxHandler h =
                                    new YamuxHandler(
                                            false,
                                            new YamuxConfig(256 * 1024, 8, 65536, 1 << 20),
                                            s -> s.setHandler((x, d) -> {}));
                            EmbeddedChannel ch = new EmbeddedChannel(h);
                            int cut = in.length / 2;
                            ch.writeInbound(Unpooled.wrappedBuffer(in, 0, cut));
                            if (ch.isOpen()) {
                                ch.writeInbound(Unpooled.wrappedBuffer(in, cut, in.length - cut));
                            }
                            if (h.streamCount() > 8) {
                                throw new IllegalStateException(
                                        "stream limit exceeded: " + h.streamCount());
                            }
                            boolean closed = !ch.isOpen();
                            ch.finishAndReleaseAll();
                            if (closed) {
                                // Rejected with GoAway(protocol error) and closed, as it should be.
                                throw new YamuxException("session closed: " + h.closeReason());
                            }
                        }));

        ts.add(
                new Target(
                        "multistream",
                        List.of(
                                bytes(Multistream.encode(Multistream.PROTOCOL_ID, "/noise")),
                                bytes(Multistream.encode(Multistream.PROTOCOL_ID, "na"))),
                        in -> {
                            Negotiation n =
                                    Negotiation.listener(Set.of("/noise"), ByteBuf::release);
                            n.feed(Unpooled.wrappedBuffer(in));
                            Negotiation d = Negotiation.dialer("/noise", ByteBuf::release);
                            d.feed(Unpooled.wrappedBuffer(in));
                        }));

        ts.add(
                new Target(
                        "length-prefixed",
                        List.of(
                                bytes(LengthPrefixedReader.frame(new byte[300])),
                                bytes(LengthPrefixedReader.frame(new byte[2]))),
                        in ->
                                new LengthPrefixedReader(1024, "fuzz")
                                        .feed(Unpooled.wrappedBuffer(in), m -> {})));

        Rpc rpc = new Rpc();
        PubSubMessage msg = PubSubMessage.sign(k, "t", new byte[] {1, 2, 3}, 7);
        rpc.subscriptions.add(new Rpc.SubOpts(true, "t"));
        rpc.publish.add(msg.toBytes());
        rpc.ihave.add(new Rpc.IHave("t", List.of(msg.id())));
        rpc.iwant.add(msg.id());
        rpc.graft.add("t");
        rpc.prune.add(new Rpc.Prune("t", List.of(new Rpc.PxPeer(k.peerId().toBytes())), 60));
        ts.add(
                new Target(
                        "gossipsub-rpc",
                        List.of(rpc.encode()),
                        in -> {
                            Rpc d = Rpc.decode(in, Rpc.Limits.defaults());
                            for (byte[] m : d.publish) {
                                PubSubMessage p = PubSubMessage.decode(m);
                                p.verify();
                                p.id();
                            }
                        }));

        SecureRandom sr = new SecureRandom(new byte[] {2});
        byte[] staticKey = XXHandshake.newPrivateKey(sr);
        byte[] payload = HandshakePayload.create(k, XXHandshake.publicKeyOf(staticKey));
        ts.add(
                new Target(
                        "noise-payload",
                        List.of(payload),
                        in -> HandshakePayload.verify(in, XXHandshake.publicKeyOf(staticKey))));
        XXHandshake init =
                new XXHandshake(true, new byte[0], staticKey, XXHandshake.newPrivateKey(sr));
        byte[] m1 = init.writeMessage(new byte[0]);
        ts.add(
                new Target(
                        "noise-handshake",
                        List.of(m1, new byte[48]),
                        in -> {
                            XXHandshake resp =
                                    new XXHandshake(false, new byte[0], staticKey, staticKey);
                            resp.readMessage(in);
                            byte[] m2 = resp.writeMessage(new byte[0]);
                            XXHandshake i2 =
                                    new XXHandshake(true, new byte[0], staticKey, staticKey);
                            i2.writeMessage(new byte[0]);
                            i2.readMessage(in.length > 80 ? in : m2);
                        }));

        ts.add(
                new Target(
                        "multiaddr+peerid",
                        List.of(
                                Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + k.peerId())
                                        .toBytes(),
                                Multiaddr.parse("/dns4/example.com/tcp/1/p2p/" + k.peerId())
                                        .toBytes(),
                                Multiaddr.parse("/ip6/::1/udp/9").toBytes()),
                        in -> {
                            Multiaddr.fromBytes(in);
                            PeerId.fromBytes(in);
                        }));
        return ts;
    }

    private static byte[] frames(int[][] headers, String data) {
        ByteBuf b = Unpooled.buffer();
        for (int[] h : headers) {
            b.writeByte(h[0]).writeByte(h[1]).writeShort(h[2]).writeInt(h[3]).writeInt(h[4]);
            if (h[1] == 0) {
                byte[] d = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                b.writeBytes(d, 0, Math.min(d.length, h[4]));
            }
        }
        return bytes(b);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }
}
