package io.ipdm.lakes.durability.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who is connected to whom, the way a Kademlia routing table connects storage nodes: every node is
 * connected to all up nodes of its own group (those sharing the first {@code bits} bits of key with
 * it: about 16-32 nodes, where the roots it is responsible for have their holders), and to {@code
 * perBucket} up nodes of each farther bucket (sharing exactly l < bits leading bits), so it can
 * tell that far roots belong to others. Connections are symmetric; a lost far contact is replaced
 * by another up node of the same bucket. Not thread-safe.
 */
final class Topology {
    private final int bits;
    private final int perBucket;
    private final List<List<SimNode>> groups = new ArrayList<>();

    Topology(int initialNodes, int perBucket) {
        int b = 0;
        while (b < 20 && (initialNodes >> (b + 1)) >= 16) {
            b++;
        }
        this.bits = b;
        this.perBucket = perBucket;
        for (int i = 0; i < (1 << bits); i++) {
            groups.add(new ArrayList<>());
        }
    }

    int bits() {
        return bits;
    }

    /** The node is up: it joins its group. */
    void add(SimNode n) {
        n.group = n.key.prefix(bits);
        List<SimNode> g = groups.get(n.group);
        n.groupPos = g.size();
        g.add(n);
    }

    /** The node is down or gone: it leaves its group and its contacts drop it. */
    List<SimNode> remove(SimNode n) {
        List<SimNode> g = groups.get(n.group);
        SimNode last = g.removeLast();
        if (n.groupPos < g.size()) {
            g.set(n.groupPos, last);
            last.groupPos = n.groupPos;
        }
        n.groupPos = -1;
        List<SimNode> former = new ArrayList<>(n.contacts);
        for (SimNode c : former) {
            c.contacts.remove(n);
        }
        n.contacts.clear();
        return former;
    }

    /** Up nodes connected to {@code n}: its group and its contacts. */
    List<SimNode> connected(SimNode n) {
        List<SimNode> out = new ArrayList<>();
        for (SimNode m : groups.get(n.group)) {
            if (m != n) {
                out.add(m);
            }
        }
        for (SimNode m : n.contacts) {
            if (m.up() && m.group != n.group) {
                out.add(m);
            }
        }
        return out;
    }

    boolean connected(SimNode a, SimNode b) {
        return a.group == b.group || a.contacts.contains(b);
    }

    /** Fills {@code n}'s far buckets up to {@code perBucket}; returns the new contacts. */
    List<SimNode> fill(SimNode n, SplittableRandom random) {
        List<SimNode> added = new ArrayList<>();
        int[] per = new int[bits + 1];
        for (SimNode c : n.contacts) {
            per[bucket(n, c)]++;
        }
        for (int l = 0; l < bits; l++) {
            int have = per[l];
            if (have >= perBucket) {
                continue;
            }
            int span = 1 << (bits - 1 - l);
            int base = ((n.group >>> (bits - l)) << (bits - l)) | ((~n.group) & span);
            // Sample rather than list the bucket: a far bucket holds up to half the network.
            for (int tries = 0; have < perBucket && tries < perBucket * 8; tries++) {
                List<SimNode> g = groups.get(base + random.nextInt(span));
                if (g.isEmpty()) {
                    continue;
                }
                SimNode m = g.get(random.nextInt(g.size()));
                if (n.contacts.add(m)) {
                    m.contacts.add(n);
                    added.add(m);
                    have++;
                }
            }
        }
        return added;
    }

    private int bucket(SimNode a, SimNode b) {
        int x = a.group ^ b.group;
        return x == 0 ? bits : Integer.numberOfLeadingZeros(x) - (32 - bits);
    }
}
