package io.ipdm.lakes.durability;

import io.ipdm.lakes.durability.DurabilityMessage.Challenge;
import io.ipdm.lakes.durability.DurabilityMessage.Proof;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;

/**
 * Outbound integrity challenges: rounds in flight, their answers, and the verdict per holder once
 * every target answered or the deadline passed. A proof is checked against this node's own copy of
 * the block when it has one, else against the answer a strict majority (at least two) of the
 * round's holders agree on; a block with neither is not judged. Not thread-safe: owned by the
 * engine.
 */
final class Challenger {
    /** The verdict of one round on one holder. */
    record Verdict(Cid root, PeerId peer, ChallengeOutcome outcome, String detail) {}

    static final class Round {
        final long id;
        final Cid root;
        final byte[] nonce;
        final List<Cid> blocks;
        final List<PeerId> targets;
        final Map<PeerId, List<byte[]>> answers = new LinkedHashMap<>();
        final long deadline;

        /** 0 for a first round, n for the n-th retry of the targets that stayed silent. */
        final int attempt;

        Round(
                long id,
                Cid root,
                byte[] nonce,
                List<Cid> blocks,
                List<PeerId> targets,
                long deadline,
                int attempt) {
            this.id = id;
            this.root = root;
            this.nonce = nonce;
            this.blocks = blocks;
            this.targets = targets;
            this.deadline = deadline;
            this.attempt = attempt;
        }
    }

    private final BlockAccess blocks;
    private final Map<Long, Round> rounds = new LinkedHashMap<>();

    /**
     * The rounds in flight by deadline and by root, so a node with thousands of rounds in flight (a
     * hand-off of many roots) does not scan them all on every timer and every claim. Entries of
     * rounds that ended are dropped lazily from the queue.
     */
    private final PriorityQueue<Round> byDeadline =
            new PriorityQueue<>(
                    Comparator.comparingLong((Round r) -> r.deadline).thenComparingLong(r -> r.id));

    private final Map<Cid, List<Round>> byRoot = new HashMap<>();

    /**
     * Rounds whose deadline passed, kept {@link #lateFor} ms to recognise a late answer: a peer
     * that answers after the deadline is up and reachable, so lateness (unlike silence, which loss,
     * partitions and crashes also cause) is evidence against it.
     */
    private final Map<Long, Round> expiredRounds = new LinkedHashMap<>();

    private final long lateFor;

    Challenger(BlockAccess blocks, long lateFor) {
        this.blocks = blocks;
        this.lateFor = lateFor;
    }

    /**
     * Starts a round on {@code rs}'s root: {@code samples} blocks of its DAG drawn at random, a
     * fresh nonce; returns the challenge to send to every target.
     */
    Challenge start(
            long id,
            RootState rs,
            List<PeerId> targets,
            int samples,
            long deadline,
            int attempt,
            RandomGenerator random) {
        List<Cid> all = new ArrayList<>(rs.dag);
        List<Cid> sample = new ArrayList<>();
        int n = Math.min(samples, all.size());
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(all.size() - i);
            Cid t = all.get(j);
            all.set(j, all.get(i));
            all.set(i, t);
            sample.add(t);
        }
        byte[] nonce = new byte[DurabilityCodec.NONCE_BYTES];
        random.nextBytes(nonce);
        add(new Round(id, rs.root, nonce, sample, List.copyOf(targets), deadline, attempt));
        return new Challenge(id, rs.root, nonce, sample);
    }

    /** The answer to a challenge from the local blocks: a proof per block, empty when absent. */
    Proof answer(Challenge c) {
        List<byte[]> proofs = new ArrayList<>(c.blocks().size());
        for (Cid b : c.blocks()) {
            byte[] data = blocks.read(b);
            proofs.add(data == null ? new byte[0] : Proofs.proof(c.nonce(), data));
        }
        return new Proof(c.id(), proofs);
    }

    int inFlight() {
        return rounds.size();
    }

    boolean pending(Cid root, PeerId peer) {
        for (Round r : byRoot.getOrDefault(root, List.of())) {
            if (r.targets.contains(peer) && !r.answers.containsKey(peer)) {
                return true;
            }
        }
        return false;
    }

    /** Earliest deadline in flight, or Long.MAX_VALUE. */
    long nextDeadline() {
        while (!byDeadline.isEmpty() && rounds.get(byDeadline.peek().id) != byDeadline.peek()) {
            byDeadline.poll(); // ended
        }
        return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.peek().deadline;
    }

    /**
     * Records an answer; returns the finished round when it was the last one awaited, else null.
     * Answers from non-targets, repeated answers and answers to finished rounds are ignored.
     */
    Round answer(PeerId from, long id, List<byte[]> proofs) {
        Round r = rounds.get(id);
        if (r == null || !r.targets.contains(from) || r.answers.containsKey(from)) {
            return null;
        }
        r.answers.put(from, proofs);
        if (r.answers.size() == r.targets.size()) {
            rounds.remove(id);
            removed(r);
            return r;
        }
        return null;
    }

    /**
     * The target said it does not hold the round's root (it handed it off, or never took it): it is
     * not judged. Returns the round when that was the last answer awaited, else null.
     */
    Round withdraw(PeerId peer, long id) {
        Round r = rounds.get(id);
        if (r == null || !r.targets.contains(peer) || r.answers.containsKey(peer)) {
            return null;
        }
        rounds.remove(id);
        removed(r);
        List<PeerId> t = new ArrayList<>(r.targets);
        t.remove(peer);
        if (t.isEmpty()) {
            return null;
        }
        Round n = new Round(r.id, r.root, r.nonce, r.blocks, t, r.deadline, r.attempt);
        n.answers.putAll(r.answers);
        if (n.answers.size() == t.size()) {
            return n;
        }
        add(n);
        return null;
    }

    /** A target went away: it is no longer awaited, and not judged. */
    List<Round> forget(PeerId peer) {
        if (rounds.isEmpty()) {
            return List.of();
        }
        List<Round> done = new ArrayList<>();
        for (Iterator<Round> it = rounds.values().iterator(); it.hasNext(); ) {
            Round r = it.next();
            if (r.targets.contains(peer) && !r.answers.containsKey(peer)) {
                List<PeerId> t = new ArrayList<>(r.targets);
                t.remove(peer);
                it.remove();
                removed(r);
                if (!t.isEmpty()) {
                    Round n = new Round(r.id, r.root, r.nonce, r.blocks, t, r.deadline, r.attempt);
                    n.answers.putAll(r.answers);
                    done.add(n);
                }
            }
        }
        List<Round> finished = new ArrayList<>();
        for (Round n : done) {
            if (n.answers.size() == n.targets.size()) {
                finished.add(n);
            } else {
                add(n);
            }
        }
        return finished;
    }

    /** Rounds whose deadline passed (removed from those in flight). */
    List<Round> expired(long now) {
        for (Iterator<Round> it = expiredRounds.values().iterator(); it.hasNext(); ) {
            if (it.next().deadline + lateFor > now) {
                break; // kept in deadline order
            }
            it.remove();
        }
        List<Round> out = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.peek().deadline <= now) {
            Round r = byDeadline.poll();
            if (rounds.get(r.id) != r) {
                continue; // ended, or replaced by a round with fewer targets (queued too)
            }
            rounds.remove(r.id);
            removed(r);
            out.add(r);
            if (r.answers.size() < r.targets.size()) {
                expiredRounds.put(r.id, r);
            }
        }
        return out;
    }

    /**
     * Whether {@code from}'s proof for round {@code id} came after the round's deadline (once per
     * peer and round: a repeated late answer is not counted twice).
     */
    boolean late(PeerId from, long id, long now) {
        Round r = expiredRounds.get(id);
        if (r == null || now - r.deadline > lateFor || !r.targets.contains(from)) {
            return false;
        }
        return r.answers.putIfAbsent(from, List.of()) == null;
    }

    private void add(Round r) {
        rounds.put(r.id, r);
        byDeadline.add(r);
        byRoot.computeIfAbsent(r.root, k -> new ArrayList<>(2)).add(r);
    }

    private void removed(Round r) {
        List<Round> l = byRoot.get(r.root);
        if (l != null && l.remove(r) && l.isEmpty()) {
            byRoot.remove(r.root);
        }
    }

    /** Verdicts on the targets that answered. */
    List<Verdict> judge(Round r) {
        int n = r.blocks.size();
        byte[][] expected = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] data = blocks.read(r.blocks.get(i));
            expected[i] = data != null ? Proofs.proof(r.nonce, data) : majority(r, i);
        }
        List<Verdict> out = new ArrayList<>();
        for (Map.Entry<PeerId, List<byte[]>> e : r.answers.entrySet()) {
            List<byte[]> proofs = e.getValue();
            ChallengeOutcome o = null;
            String detail = null;
            if (proofs.size() != n) {
                o = ChallengeOutcome.WRONG;
                detail = proofs.size() + " proofs for " + n + " blocks";
            }
            for (int i = 0; o == null && i < n; i++) {
                byte[] p = proofs.get(i);
                if (p.length == 0) {
                    o = ChallengeOutcome.LOST;
                    detail = "does not hold block " + r.blocks.get(i);
                } else if (expected[i] != null && !Arrays.equals(p, expected[i])) {
                    o = ChallengeOutcome.WRONG;
                    detail = "wrong proof for block " + r.blocks.get(i);
                }
            }
            if (o == null) {
                if (!anyJudged(expected)) {
                    continue; // no copy here and no majority: nothing to say
                }
                o = ChallengeOutcome.STORED;
                detail = "proved " + n + " blocks";
            }
            out.add(new Verdict(r.root, e.getKey(), o, detail));
        }
        return out;
    }

    private static boolean anyJudged(byte[][] expected) {
        for (byte[] e : expected) {
            if (e != null) {
                return true;
            }
        }
        return false;
    }

    private static byte[] majority(Round r, int i) {
        Map<ByteBuffer, Integer> counts = new HashMap<>();
        int answered = 0;
        for (List<byte[]> proofs : r.answers.values()) {
            if (proofs.size() > i && proofs.get(i).length > 0) {
                answered++;
                counts.merge(ByteBuffer.wrap(proofs.get(i)), 1, Integer::sum);
            }
        }
        for (Map.Entry<ByteBuffer, Integer> e : counts.entrySet()) {
            if (e.getValue() >= 2 && e.getValue() * 2 > answered) {
                return e.getKey().array();
            }
        }
        return null;
    }
}
