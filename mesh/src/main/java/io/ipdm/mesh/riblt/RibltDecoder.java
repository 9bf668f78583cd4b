package io.ipdm.mesh.riblt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes the difference between a remote set, seen only as its coded-symbol stream, and the local
 * set: each arriving remote symbol has the local set's symbol of the same index subtracted; a
 * symbol whose count is +1 or -1 and whose hash-sum is the checksum of its item-sum is pure and
 * yields an item only the remote (+1) or only the local (-1) side holds. A peeled item is removed
 * from every symbol it maps to, received or still to come, which may make others pure. Decoding is
 * complete when symbol 0, which holds every item, is empty.
 *
 * <p>Limits fixed at construction: {@code maxSymbols} symbols accepted in all, {@code
 * maxDifferences} items decoded. A stream that breaks either, or that peels the same item twice
 * (which honest streams never do), ends with a {@link RibltException} naming the limit.
 */
public final class RibltDecoder {
    private record Item(long w0, long w1, long w2, long w3) {}

    private final long salt;
    private final long maxSymbols;
    private final int maxDifferences;
    private final RibltEncoder adjust;
    private final CodedSymbols diff = new CodedSymbols(0, 64);
    private final Set<Item> peeled = new HashSet<>();
    private final List<byte[]> remoteOnly = new ArrayList<>();
    private final List<byte[]> localOnly = new ArrayList<>();
    private final ArrayList<Integer> pure = new ArrayList<>();
    private long decodedAt = -1;

    /**
     * @param local the local set's 32-byte items
     * @param salt the stream's checksum salt (chosen by the encoding side)
     */
    public RibltDecoder(Iterable<byte[]> local, long salt, long maxSymbols, int maxDifferences) {
        this.salt = salt;
        this.maxSymbols = maxSymbols;
        this.maxDifferences = maxDifferences;
        this.adjust = new RibltEncoder(salt);
        // Local items count -1 so that (remote + adjust) is the difference remote - local.
        for (byte[] item : local) {
            adjust.add(item, -1, null);
        }
    }

    /** Symbols received so far. */
    public long received() {
        return diff.size();
    }

    public boolean isDecoded() {
        return decodedAt >= 0;
    }

    /** The number of symbols it took to decode, or -1 while not decoded. */
    public long symbolsUsed() {
        return decodedAt;
    }

    /** Items the remote side holds and the local side lacks (32 bytes each). */
    public List<byte[]> remoteOnly() {
        return remoteOnly;
    }

    /** Items the local side holds and the remote side lacks. */
    public List<byte[]> localOnly() {
        return localOnly;
    }

    /**
     * Feeds the next run of remote symbols (its first index must be the number received so far);
     * returns whether decoding is complete. Symbols after the one that completes it are ignored.
     */
    public boolean add(CodedSymbols run) {
        if (isDecoded()) {
            return true;
        }
        if (run.first() != diff.size()) {
            throw new RibltException(
                    "coded symbols out of order: expected index "
                            + diff.size()
                            + ", got a run starting at "
                            + run.first());
        }
        for (int k = 0; k < run.size(); k++) {
            if (diff.size() >= maxSymbols) {
                throw new RibltException(
                        "the remote stream did not decode within "
                                + maxSymbols
                                + " coded symbols (limit maxSymbols); its set differs from ours"
                                + " by more than this session allows, or it is not a RIBLT stream"
                                + " of this salt");
            }
            adjust.produce(1, diff);
            int i = diff.size() - 1;
            diff.xorItem(
                    i,
                    run.sum(k, 0),
                    run.sum(k, 1),
                    run.sum(k, 2),
                    run.sum(k, 3),
                    run.hash(k),
                    run.count(k));
            if (isPure(i)) {
                pure.add(i);
            }
            peel();
            if (isEmpty(0)) {
                decodedAt = diff.size();
                return true;
            }
        }
        return false;
    }

    private void peel() {
        while (!pure.isEmpty()) {
            int j = pure.remove(pure.size() - 1);
            if (!isPure(j)) {
                continue;
            }
            long c = diff.counts[j];
            long w0 = diff.sums[4 * j];
            long w1 = diff.sums[4 * j + 1];
            long w2 = diff.sums[4 * j + 2];
            long w3 = diff.sums[4 * j + 3];
            if (!peeled.add(new Item(w0, w1, w2, w3))) {
                throw new RibltException(
                        "inconsistent coded symbols: an item peeled twice (symbol "
                                + j
                                + "); the stream is not a RIBLT encoding of a set");
            }
            if (peeled.size() > maxDifferences) {
                throw new RibltException(
                        "the sets differ by more than "
                                + maxDifferences
                                + " items (limit maxDifferences)");
            }
            (c == 1 ? remoteOnly : localOnly).add(toBytes(w0, w1, w2, w3));
            adjust.add(
                    w0,
                    w1,
                    w2,
                    w3,
                    (int) -c,
                    (idx, a, b, d, e, h, sign) -> {
                        int s = (int) idx;
                        diff.xorItem(s, a, b, d, e, h, sign);
                        if (isPure(s)) {
                            pure.add(s);
                        }
                    });
        }
    }

    private boolean isPure(int i) {
        long c = diff.counts[i];
        return (c == 1 || c == -1)
                && ItemHashing.checksum(
                                salt,
                                diff.sums[4 * i],
                                diff.sums[4 * i + 1],
                                diff.sums[4 * i + 2],
                                diff.sums[4 * i + 3])
                        == diff.hashes[i];
    }

    private boolean isEmpty(int i) {
        return diff.counts[i] == 0
                && diff.hashes[i] == 0
                && (diff.sums[4 * i]
                                | diff.sums[4 * i + 1]
                                | diff.sums[4 * i + 2]
                                | diff.sums[4 * i + 3])
                        == 0;
    }

    private static byte[] toBytes(long w0, long w1, long w2, long w3) {
        return ByteBuffer.allocate(32).putLong(w0).putLong(w1).putLong(w2).putLong(w3).array();
    }
}
