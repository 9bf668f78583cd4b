package io.ipdm.lakes.bench;

import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.lakes.piece.CommP;
import io.ipdm.lakes.piece.PieceCommitment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;

/**
 * CommP throughput on one payload: ours on 1 and 2 threads, the single-core ceiling (one SHA-256
 * MessageDigest call per 64-byte node, no tree or padding work), and two npm baselines under Node
 * on the same bytes: {@code @web3-storage/data-segment} (JavaScript) and {@code
 * fr32-sha2-256-trunc254-padded-binary-tree-multihash} (Rust compiled to WebAssembly); both piece
 * CIDs must equal ours. Run from the repository root after {@code mvn -pl lava-lakes -am
 * test-compile} and {@code .ci/setup.d/lava-lakes.sh}; see docs/BENCHMARKS.md.
 */
public final class CommPBench {
    private static final Map<String, String> NAMES =
            Map.of(
                    "dataSegment",
                    "@web3-storage/data-segment 5.3.0 (JS)",
                    "rustWasm",
                    "fr32-sha2-256-trunc254-padded-binary-tree-multihash 3.3.0 (Rust->WASM)");

    public static void main(String[] args) throws Exception {
        int mib = Integer.getInteger("mib", 32);
        byte[] data = new byte[mib << 20];
        new Random(1).nextBytes(data);
        double one = 0;
        double two = 0;
        double ceiling = 0;
        PieceCommitment ours = null;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            ours = run(data, 1);
            one = Math.max(one, mbps(data, t0));
            t0 = System.nanoTime();
            run(data, 2);
            two = Math.max(two, mbps(data, t0));
            ceiling = Math.max(ceiling, ceiling(data));
        }
        System.out.printf("payload %d MiB%n", mib);
        System.out.printf(
                "ours, 1 thread:   %.1f MB/s (%.0f%% of the digest-per-node ceiling %.1f MB/s)%n",
                one, 100 * one / ceiling, ceiling);
        System.out.printf("ours, 2 threads:  %.1f MB/s%n", two);
        Path js = Path.of("lava-lakes/src/test/js");
        if (Files.isDirectory(
                js.resolve("node_modules/fr32-sha2-256-trunc254-padded-binary-tree-multihash"))) {
            Path file = Files.createTempFile("commp-bench", ".bin");
            try {
                Files.write(file, data);
                Process p =
                        new ProcessBuilder("node", "commp-bench.mjs", file.toString())
                                .directory(js.toFile())
                                .start();
                String out =
                        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                                .trim();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(
                            "commp-bench.mjs failed: "
                                    + new String(
                                            p.getErrorStream().readAllBytes(),
                                            StandardCharsets.UTF_8));
                }
                Map<?, ?> npm = (Map<?, ?>) DagJson.decode(out);
                String piece = ours.cidV2().toString();
                for (String impl : new String[] {"dataSegment", "rustWasm"}) {
                    Map<?, ?> r = (Map<?, ?>) npm.get(impl);
                    double mbps = ((Number) r.get("mbPerSecond")).doubleValue();
                    if (!piece.equals(r.get("pieceCidV2"))) {
                        throw new IllegalStateException(
                                impl + " piece CID " + r.get("pieceCidV2") + " != ours " + piece);
                    }
                    System.out.printf(
                            "npm %s: %.1f MB/s, same piece CID %s; ours(1 thread)/it: %.1fx,"
                                    + " ours(2 threads)/it: %.1fx%n",
                            NAMES.get(impl), mbps, piece, one / mbps, two / mbps);
                }
            } finally {
                Files.delete(file);
            }
        } else {
            System.out.println("npm baseline skipped: run .ci/setup.d/lava-lakes.sh first");
        }
    }

    static PieceCommitment run(byte[] data, int threads) {
        try (CommP c = new CommP(threads)) {
            c.update(data, 0, data.length);
            return c.finish();
        }
    }

    static double mbps(byte[] data, long t0) {
        return data.length / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    /** Hashes as many 64-byte nodes as CommP does (one per leaf), nothing else. */
    static double ceiling(byte[] data) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long nodes = (data.length / 127L) * 4;
        byte[] buf = new byte[64];
        long t0 = System.nanoTime();
        for (long i = 0; i < nodes; i++) {
            md.update(buf, 0, 64);
            md.digest(buf, 0, 32);
        }
        return mbps(data, t0);
    }
}
