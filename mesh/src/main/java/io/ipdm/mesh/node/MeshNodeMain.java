package io.ipdm.mesh.node;

import io.ipdm.mesh.multiaddr.Multiaddr;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ipdm node}: runs a mesh node until interrupted, printing its peer id, addresses, received
 * messages and a metrics line every interval.
 *
 * <pre>
 * ipdm node --listen /ip4/127.0.0.1/tcp/4001 [--listen ...] [--bootstrap /ip4/.../tcp/4002/p2p/12D3Koo...]
 *           [--topic ipdm/results ...] [--key node.key] [--metrics-interval 10] [--publish TOPIC=TEXT]
 * </pre>
 */
public final class MeshNodeMain {
    private MeshNodeMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err, new CountDownLatch(1)));
    }

    /**
     * Runs the node until {@code stop} is counted down (or the thread is interrupted); returns the
     * exit code (2 for a usage error).
     */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop)
            throws InterruptedException {
        List<Multiaddr> listen = new ArrayList<>();
        List<Multiaddr> bootstrap = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<String[]> publish = new ArrayList<>();
        Path key = null;
        long interval = 10;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    out.println(usage());
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--listen" -> listen.add(Multiaddr.parse(v));
                    case "--bootstrap" -> bootstrap.add(Multiaddr.parse(v));
                    case "--topic" -> topics.add(v);
                    case "--key" -> key = Path.of(v);
                    case "--metrics-interval" -> interval = Long.parseLong(v);
                    case "--publish" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException(
                                    "--publish wants TOPIC=TEXT, got " + v);
                        }
                        publish.add(new String[] {v.substring(0, eq), v.substring(eq + 1)});
                    }
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown option "
                                            + a
                                            + " (allowed: --listen, --bootstrap, --topic, --key, --metrics-interval,"
                                            + " --publish)");
                }
            }
            if (listen.isEmpty()) {
                listen.add(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"));
            }
        } catch (IllegalArgumentException e) {
            err.println("ipdm node: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        MeshNodeConfig cfg = MeshNodeConfig.of(listen, bootstrap, topics);
        if (key != null) {
            cfg = cfg.withKeyFile(key);
        }
        try (MeshNode node = MeshNode.start(cfg)) {
            out.println("peer id: " + node.peerId());
            for (Multiaddr a : node.addresses()) {
                out.println("listening on " + a);
            }
            for (String t : topics) {
                node.subscribe(
                        t,
                        (m, from) ->
                                out.println(
                                        "message on "
                                                + m.topic()
                                                + " from "
                                                + m.author()
                                                + ": "
                                                + new String(m.data(), StandardCharsets.UTF_8)));
            }
            for (String[] p : publish) {
                // Not node.publish(): at this point the bootstrap dial has not even completed.
                node.publishWhenSubscribed(p[0], p[1].getBytes(StandardCharsets.UTF_8))
                        .whenComplete(
                                (id, e) -> {
                                    if (e != null) {
                                        err.println(
                                                "ipdm node: publishing on "
                                                        + p[0]
                                                        + " failed: "
                                                        + e);
                                    } else {
                                        out.println("published on " + p[0] + ": " + id);
                                    }
                                    out.flush();
                                });
                out.println("publishing on " + p[0] + " once a peer subscribed to it is connected");
            }
            out.flush();
            while (!stop.await(Math.max(1, interval), java.util.concurrent.TimeUnit.SECONDS)) {
                out.println("metrics " + node.metrics().toLine());
                out.flush();
            }
        }
        return 0;
    }

    static String usage() {
        return "usage: ipdm node --listen MULTIADDR [--bootstrap MULTIADDR/p2p/PEER]... [--topic TOPIC]..."
                + " [--key FILE] [--metrics-interval SECONDS] [--publish TOPIC=TEXT]";
    }
}
