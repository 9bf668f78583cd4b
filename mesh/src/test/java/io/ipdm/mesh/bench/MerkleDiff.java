package io.ipdm.mesh.bench;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Merkle-tree baseline of {@link RibltBench}: a 16-ary trie over the digests' leading nibbles,
 * {@code depth} levels deep (leaf i holds the items whose first 4*depth bits are i), each node the
 * SHA-256 of its 16 children's hashes (an empty subtree hashes to 32 zero bytes), a leaf the
 * SHA-256 of its sorted items. The diff walks down from the root one level per round trip: the
 * local side asks for the children of each node whose hash differs (4 bytes per node asked), the
 * remote answers with their 16 hashes (512 bytes), and at the leaves with the items of each
 * differing leaf (32 bytes each plus a 4-byte count). Bytes count both directions.
 */
final class MerkleDiff {
    private static final byte[] EMPTY = new byte[32];

    final int depth;

    /** levels[k][i]: hash of node i at depth k (levels[depth] are the leaves). */
    final byte[][][] levels;

    final List<List<byte[]>> leaves;

    private MerkleDiff(int depth, List<List<byte[]>> leaves, byte[][][] levels) {
        this.depth = depth;
        this.leaves = leaves;
        this.levels = levels;
    }

    static MerkleDiff build(List<byte[]> items, int depth) {
        int n = 1 << (4 * depth);
        List<List<byte[]>> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            leaves.add(null);
        }
        for (byte[] x : items) {
            int idx = leafIndex(x, depth);
            List<byte[]> l = leaves.get(idx);
            if (l == null) {
                l = new ArrayList<>(2);
                leaves.set(idx, l);
            }
            l.add(x);
        }
        MessageDigest sha = sha();
        byte[][][] levels = new byte[depth + 1][][];
        levels[depth] = new byte[n][];
        for (int i = 0; i < n; i++) {
            List<byte[]> l = leaves.get(i);
            if (l == null) {
                levels[depth][i] = EMPTY;
            } else {
                l.sort(Arrays::compareUnsigned);
                for (byte[] x : l) {
                    sha.update(x);
                }
                levels[depth][i] = sha.digest();
            }
        }
        for (int k = depth - 1; k >= 0; k--) {
            int m = 1 << (4 * k);
            levels[k] = new byte[m][];
            for (int i = 0; i < m; i++) {
                boolean empty = true;
                for (int c = 0; c < 16; c++) {
                    byte[] h = levels[k + 1][16 * i + c];
                    empty &= h == EMPTY;
                    sha.update(h);
                }
                byte[] h = sha.digest();
                levels[k][i] = empty ? EMPTY : h;
            }
        }
        return new MerkleDiff(depth, leaves, levels);
    }

    /** The result of diffing: items found on either side only, bytes both ways, round trips. */
    record Result(int differences, long bytes, int rounds) {}

    /** The local side ({@code this}) diffs against {@code remote}, counting what would cross. */
    Result diff(MerkleDiff remote) {
        long bytes = 32; // the remote's root hash
        int rounds = 1;
        List<Integer> differing = new ArrayList<>();
        if (!Arrays.equals(levels[0][0], remote.levels[0][0])) {
            differing.add(0);
        }
        for (int k = 0; k < depth && !differing.isEmpty(); k++) {
            rounds++;
            List<Integer> next = new ArrayList<>();
            for (int i : differing) {
                bytes += 4 + 16 * 32;
                for (int c = 0; c < 16; c++) {
                    int child = 16 * i + c;
                    if (!Arrays.equals(levels[k + 1][child], remote.levels[k + 1][child])) {
                        next.add(child);
                    }
                }
            }
            differing = next;
        }
        int found = 0;
        if (!differing.isEmpty()) {
            rounds++;
        }
        for (int leaf : differing) {
            List<byte[]> theirs = remote.leaves.get(leaf);
            List<byte[]> mine = leaves.get(leaf);
            bytes += 4 + 4 + (theirs == null ? 0 : 32L * theirs.size());
            Set<ByteBuffer> a = new HashSet<>();
            if (mine != null) {
                mine.forEach(x -> a.add(ByteBuffer.wrap(x)));
            }
            Set<ByteBuffer> b = new HashSet<>();
            if (theirs != null) {
                theirs.forEach(x -> b.add(ByteBuffer.wrap(x)));
            }
            for (ByteBuffer x : b) {
                if (!a.remove(x)) {
                    found++;
                }
            }
            found += a.size();
        }
        return new Result(found, bytes, rounds);
    }

    private static int leafIndex(byte[] x, int depth) {
        int v =
                ((x[0] & 0xff) << 24)
                        | ((x[1] & 0xff) << 16)
                        | ((x[2] & 0xff) << 8)
                        | (x[3] & 0xff);
        return v >>> (32 - 4 * depth);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
