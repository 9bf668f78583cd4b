package io.ipdm.connectors.lakes.faithful;

import io.ipdm.multiformats.Base58;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes an Old Faithful archive of any size from real getBlock responses (for tests and
 * benchmarks): a run of slots from {@code startSlot}, each filled with one of the template blocks
 * (transactions, metadata and rewards unchanged) chosen by a seeded generator, with about one slot
 * in twenty skipped as on mainnet. Slot times advance 400 ms per slot from the first template's
 * block time; blockhashes are derived from seed and slot, so parents chain. The same templates,
 * seed and sizes give the same archive, byte for byte.
 */
public final class ArchiveGenerator {
    private ArchiveGenerator() {}

    /** One generated block: its place in the chain and which template fills it. */
    public record Planned(
            long slot,
            long parentSlot,
            String blockhash,
            long blockTime,
            long height,
            int template) {}

    /**
     * The chain {@link #generate} writes: slots from {@code startSlot} until at least {@code
     * minTransactions} transactions, each a seeded choice of template.
     */
    public static List<Planned> plan(
            List<GetBlockArchive.ArchiveBlock> templates,
            long seed,
            long startSlot,
            long minTransactions) {
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("no template blocks");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Long t0 = templates.get(0).blockTime();
        long baseMillis = (t0 == null ? 1_700_000_000L : t0) * 1000;
        List<Planned> out = new ArrayList<>();
        long slot = startSlot;
        long parent = startSlot - 1;
        long height = 1;
        long txs = 0;
        while (txs < minTransactions) {
            if (slot > startSlot && rnd.nextInt(20) == 0) {
                slot++; // a skipped slot: no block
                continue;
            }
            int t = rnd.nextInt(templates.size());
            long time = (baseMillis + (slot - startSlot) * 400) / 1000;
            out.add(new Planned(slot, parent, hash(seed, slot), time, height++, t));
            txs += templates.get(t).txs().size();
            parent = slot;
            slot++;
        }
        return out;
    }

    /**
     * Writes the planned chain from {@code startSlot} until at least {@code minTransactions}
     * transactions are written.
     */
    public static GetBlockArchive.Summary generate(
            List<GetBlockArchive.ArchiveBlock> templates,
            Path out,
            long seed,
            long startSlot,
            long minTransactions)
            throws IOException {
        return write(templates, plan(templates, seed, startSlot, minTransactions), out);
    }

    /** Writes {@code blocks} (a plan, or part of one) as an archive. */
    public static GetBlockArchive.Summary write(
            List<GetBlockArchive.ArchiveBlock> templates, List<Planned> blocks, Path out)
            throws IOException {
        // a view: each planned block is its template at the planned place, made when written
        List<GetBlockArchive.ArchiveBlock> chain =
                new java.util.AbstractList<>() {
                    @Override
                    public GetBlockArchive.ArchiveBlock get(int i) {
                        Planned p = blocks.get(i);
                        GetBlockArchive.ArchiveBlock t = templates.get(p.template());
                        return new GetBlockArchive.ArchiveBlock(
                                p.slot(),
                                p.parentSlot(),
                                p.blockhash(),
                                p.blockTime(),
                                p.height(),
                                t.txs(),
                                t.rewardsFrame());
                    }

                    @Override
                    public int size() {
                        return blocks.size();
                    }
                };
        return GetBlockArchive.write(chain, out);
    }

    static String hash(long seed, long slot) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(ByteBuffer.allocate(16).putLong(seed).putLong(slot).array());
            return Base58.encode(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the template blocks from getBlock files. */
    public static List<GetBlockArchive.ArchiveBlock> templates(List<Path> files) {
        return GetBlockArchive.readAll(files);
    }
}
