package io.ipdm.lakes.bench;

import io.ipdm.lakes.piece.CommP;
import io.ipdm.lakes.piece.PieceCommitment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;

/**
 * CommP throughput: ours on 1 and 2 threads, against the single-core ceiling (one SHA-256
 * MessageDigest call per 64-byte node with no tree work) on the same bytes. With an argument, the
 * payload is also written to that file so the npm baseline (src/test/js/commp-bench.mjs) hashes the
 * same bytes. Run: see docs/BENCHMARKS.md.
 */
public final class CommPBench {
    public static void main(String[] args) throws Exception {
        int mib = Integer.getInteger("mib", 256);
        byte[] data = new byte[mib << 20];
        new Random(1).nextBytes(data);
        if (args.length > 0) {
            Files.write(Path.of(args[0]), data);
        }
        for (int round = 0; round < 3; round++) {
            double one = time(data, 1);
            double two = time(data, 2);
            double ceiling = ceiling(data);
            System.out.printf(
                    "round %d: CommP 1 thread %.1f MB/s, 2 threads %.1f MB/s; digest-per-node ceiling %.1f MB/s (1 thread = %.0f%% of it)%n",
                    round, one, two, ceiling, 100 * one / ceiling);
        }
    }

    static double time(byte[] data, int threads) {
        long t0 = System.nanoTime();
        CommP c = new CommP(threads);
        c.update(data, 0, data.length);
        PieceCommitment pc = c.finish();
        long t1 = System.nanoTime();
        if (pc.root().length != 32) {
            throw new AssertionError();
        }
        return data.length / 1e6 / ((t1 - t0) / 1e9);
    }

    /** Hashes the same number of 64-byte nodes CommP does (~2 per 32-byte leaf), nothing else. */
    static double ceiling(byte[] data) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long nodes = (data.length / 127L) * 4;
        byte[] buf = new byte[64];
        long t0 = System.nanoTime();
        for (long i = 0; i < nodes; i++) {
            md.update(buf, 0, 64);
            md.digest(buf, 0, 32);
        }
        long t1 = System.nanoTime();
        return data.length / 1e6 / ((t1 - t0) / 1e9);
    }
}
