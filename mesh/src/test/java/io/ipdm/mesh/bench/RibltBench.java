package io.ipdm.mesh.bench;

import io.ipdm.mesh.riblt.CodedSymbols;
import io.ipdm.mesh.riblt.RibltDecoder;
import io.ipdm.mesh.riblt.RibltEncoder;
import io.ipdm.mesh.riblt.SyncCodec;
import io.ipdm.mesh.riblt.SyncConfig;
import io.ipdm.mesh.riblt.SyncMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * RIBLT reconciliation of two sets of {@code n} 32-byte record digests differing in {@code d} items
 * (half on each side), for each {@code d} given, next to the baseline of sending the whole set of
 * digests and diffing it, and of a Merkle-trie diff ({@link MerkleDiff}), in the same run. The
 * symbol stream is paced as {@link io.ipdm.mesh.riblt.ReconcileSession} paces it (batches of 64,
 * then 1/8 of what was sent, at most 4096), and every batch is encoded with {@link SyncCodec} to
 * count its bytes. Times are one thread, in process (no network): building the local coder over n
 * items, streaming and decoding.
 *
 * <pre>
 * mvn -q -pl mesh test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.ipdm.mesh.bench.RibltBench [-Dexec.args="n d1 d2 ..."]
 * </pre>
 */
public final class RibltBench {
    private RibltBench() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<Integer> ds = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            ds.add(Integer.parseInt(args[i]));
        }
        if (ds.isEmpty()) {
            ds = List.of(1, 10, 100, 1000, 10_000);
        }
        SyncConfig cfg = SyncConfig.defaults();
        System.out.printf(
                Locale.ROOT,
                "n=%d; riblt: symbols needed, sent, per difference, bytes, ms; full set: bytes, ms%n",
                n);
        // leaves of about one item: 16^depth >= n
        int depth = Math.max(1, (int) Math.ceil(Math.log(n) / Math.log(16)));
        System.out.println(
                "| d | symbols needed | symbols sent | needed / d | sent / d | RIBLT bytes | RIBLT ms |"
                        + " full-set bytes | full-set ms | Merkle bytes | Merkle round trips |"
                        + " Merkle ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int row = 0; row < ds.size(); row++) {
            int d = ds.get(row);
            Random rnd = new Random(31L * d + row); // a d given twice gets two different sets
            List<byte[]> remote = new ArrayList<>(n + d);
            List<byte[]> local = new ArrayList<>(n + d);
            for (int i = 0; i < n - (d + 1) / 2; i++) {
                byte[] x = item(rnd);
                remote.add(x);
                local.add(x);
            }
            for (int i = 0; i < d; i++) {
                (i % 2 == 0 ? remote : local).add(item(rnd));
            }
            while (local.size() < n) {
                byte[] x = item(rnd);
                remote.add(x);
                local.add(x);
            }
            long salt = rnd.nextLong();

            long t0 = System.nanoTime();
            RibltEncoder enc = new RibltEncoder(salt);
            remote.forEach(enc::add);
            RibltDecoder dec =
                    new RibltDecoder(local, salt, cfg.maxSymbols(), cfg.maxDifferences());
            long sent = 0;
            long bytes = 0;
            int batch = cfg.initialBatch();
            while (true) {
                CodedSymbols run = new CodedSymbols(enc.produced(), batch);
                enc.produce(batch, run);
                sent += batch;
                byte[] msg =
                        SyncCodec.encode(
                                new SyncMessage(
                                        SyncMessage.Type.SYMBOLS, run, salt, List.of(), ""));
                bytes += msg.length + 3 + 2; // length prefix, and the MORE answer
                if (dec.add(run)) {
                    break;
                }
                batch = (int) Math.min(cfg.maxBatch(), Math.max(cfg.initialBatch(), sent / 8));
            }
            long ribltMs = (System.nanoTime() - t0) / 1_000_000;
            if (dec.remoteOnly().size() + dec.localOnly().size() != d) {
                throw new AssertionError(
                        "decoded " + dec.remoteOnly().size() + "+" + dec.localOnly().size());
            }

            long t1 = System.nanoTime();
            // Baseline: the remote sends all its digests; the local side diffs them with its set.
            ByteBuffer wire = ByteBuffer.allocate(32 * remote.size());
            remote.forEach(wire::put);
            wire.flip();
            Set<ByteBuffer> mine = new HashSet<>(local.size() * 2);
            local.forEach(x -> mine.add(ByteBuffer.wrap(x)));
            int found = 0;
            for (int i = 0; i < remote.size(); i++) {
                ByteBuffer x = wire.slice(32 * i, 32);
                if (!mine.remove(x)) {
                    found++;
                }
            }
            found += mine.size();
            long fullMs = (System.nanoTime() - t1) / 1_000_000;
            if (found != d) {
                throw new AssertionError("full-set diff found " + found);
            }
            long t2 = System.nanoTime();
            // Baseline: a Merkle trie on each side (both built here, as each side keeps its own)
            MerkleDiff.Result merkle =
                    MerkleDiff.build(local, depth).diff(MerkleDiff.build(remote, depth));
            long merkleMs = (System.nanoTime() - t2) / 1_000_000;
            if (merkle.differences() != d) {
                throw new AssertionError("Merkle diff found " + merkle.differences());
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %d | %d | %.2f | %.2f | %d | %d | %d | %d | %d | %d | %d |%n",
                    d,
                    dec.symbolsUsed(),
                    sent,
                    dec.symbolsUsed() / (double) d,
                    sent / (double) d,
                    bytes,
                    ribltMs,
                    32L * remote.size(),
                    fullMs,
                    merkle.bytes(),
                    merkle.rounds(),
                    merkleMs);
        }
    }

    private static byte[] item(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return b;
    }
}
