package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.ipld.DagPb;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulation's data: real blocks (a dag-pb root linking raw leaves of random bytes, CIDs
 * computed) whose links were read once with the real codec, so that every node's {@link SimStore}
 * can answer {@code links} without decoding again.
 */
final class Catalog {
    private final List<Cid> roots = new ArrayList<>();
    private final Map<Cid, byte[]> bytes = new HashMap<>();
    private final Map<Cid, List<Cid>> links = new HashMap<>();
    private final Map<Cid, List<Cid>> dags = new HashMap<>();
    private final Map<Cid, Cid> rootOf = new HashMap<>();

    Catalog(int count, int blocksPerRoot, int leafBytes, SplittableRandom random) {
        for (int r = 0; r < count; r++) {
            List<DagPb.Link> leaves = new ArrayList<>();
            List<Cid> dag = new ArrayList<>();
            for (int i = 1; i < blocksPerRoot; i++) {
                byte[] data = new byte[leafBytes];
                random.nextBytes(data);
                Block leaf = Block.of(Multicodec.RAW, data);
                add(leaf);
                leaves.add(new DagPb.Link(leaf.cid(), "l" + i, (long) data.length));
                dag.add(leaf.cid());
            }
            byte[] rootBytes = DagPb.encode(new DagPb.Node(new byte[] {(byte) r}, leaves));
            Block root =
                    new Block(Cid.v1(Multicodec.DAG_PB, Multihash.sha2_256(rootBytes)), rootBytes);
            add(root);
            dag.addFirst(root.cid());
            roots.add(root.cid());
            dags.put(root.cid(), List.copyOf(dag));
            for (Cid c : dag) {
                rootOf.put(c, root.cid());
            }
        }
    }

    private void add(Block b) {
        bytes.put(b.cid(), b.data());
        links.put(b.cid(), List.copyOf(Links.of(b)));
    }

    List<Cid> roots() {
        return roots;
    }

    byte[] bytes(Cid c) {
        return bytes.get(c);
    }

    List<Cid> links(Cid c) {
        List<Cid> l = links.get(c);
        return l == null ? List.of() : l;
    }

    List<Cid> dag(Cid root) {
        return dags.get(root);
    }

    /** The root whose DAG holds this block (roots share no blocks here). */
    Cid rootOf(Cid block) {
        return rootOf.get(block);
    }

    long dagBytes(Cid root) {
        long n = 0;
        for (Cid c : dags.get(root)) {
            n += bytes.get(c).length;
        }
        return n;
    }
}
