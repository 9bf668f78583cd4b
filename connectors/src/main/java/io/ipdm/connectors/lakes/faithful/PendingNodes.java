package io.ipdm.connectors.lakes.faithful;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The nodes of the block being read, found by the binary CID a link holds, compared where both lie
 * (the link in its node, the node's CID in its section): an open-addressing table, so neither a
 * lookup nor an insert copies a CID or makes a key object. Binary CIDv1 is canonical, so equal
 * bytes are equal CIDs; a CID seen twice keeps its last node (the bytes are the same, both were
 * checked against the CID).
 *
 * <p>Not thread-safe.
 */
public final class PendingNodes implements FaithfulBlockDecoder.Nodes {
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private FaithfulBlockDecoder.Node[] table = new FaithfulBlockDecoder.Node[1024];
    private int size;

    /** Adds a node under its CID (replacing a node of the same CID). */
    public void put(FaithfulBlockDecoder.Node node) {
        if (2 * (size + 1) > table.length) {
            grow();
        }
        insert(table, node);
    }

    private boolean insert(FaithfulBlockDecoder.Node[] t, FaithfulBlockDecoder.Node node) {
        int mask = t.length - 1;
        for (int i = hash(node.cidBuf(), node.cidOffset(), node.cidLength()) & mask;
                ;
                i = (i + 1) & mask) {
            FaithfulBlockDecoder.Node at = t[i];
            if (at == null) {
                t[i] = node;
                size++;
                return true;
            }
            if (sameCid(at, node.cidBuf(), node.cidOffset(), node.cidLength())) {
                t[i] = node;
                return false;
            }
        }
    }

    private void grow() {
        FaithfulBlockDecoder.Node[] old = table;
        table = new FaithfulBlockDecoder.Node[old.length * 2];
        size = 0;
        for (FaithfulBlockDecoder.Node n : old) {
            if (n != null) {
                insert(table, n);
            }
        }
    }

    @Override
    public FaithfulBlockDecoder.Node get(byte[] buf, int offset, int length) {
        FaithfulBlockDecoder.Node[] t = table;
        int mask = t.length - 1;
        for (int i = hash(buf, offset, length) & mask; ; i = (i + 1) & mask) {
            FaithfulBlockDecoder.Node at = t[i];
            if (at == null || sameCid(at, buf, offset, length)) {
                return at;
            }
        }
    }

    /** Forgets every node (after its block is decoded). */
    public void clear() {
        if (size > 0) {
            Arrays.fill(table, null);
            size = 0;
        }
    }

    public int size() {
        return size;
    }

    private static boolean sameCid(
            FaithfulBlockDecoder.Node n, byte[] buf, int offset, int length) {
        return n.cidLength() == length
                && Arrays.equals(
                        n.cidBuf(),
                        n.cidOffset(),
                        n.cidOffset() + length,
                        buf,
                        offset,
                        offset + length);
    }

    /** A CID ends in its digest, uniformly distributed bytes: its last eight are the hash. */
    private static int hash(byte[] buf, int offset, int length) {
        long h;
        if (length >= 8) {
            h = (long) LONG.get(buf, offset + length - 8);
        } else {
            h = length;
            for (int i = 0; i < length; i++) {
                h = h * 31 + buf[offset + i];
            }
        }
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
