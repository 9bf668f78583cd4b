package io.ipdm.lakes.durability;

import io.ipdm.multiformats.Cid;
import java.util.Arrays;
import java.util.List;

/**
 * The messages of {@code /ipdm/durability/1.0.0}; {@link DurabilityCodec} gives their bytes. One
 * message per frame; requests and answers are matched by {@code id}, chosen by the asker.
 */
public sealed interface DurabilityMessage {
    /** Sent on connect by a node whose domain is not the default one (""), naming it. */
    record Hello(String domain) implements DurabilityMessage {}

    /**
     * "You are responsible for these roots: fetch what you lack (I hold them) and confirm with
     * {@link Holding}". Both the activation of a reserve by an agent and the offer of a hand-off.
     */
    record Replicate(long id, List<Cid> roots) implements DurabilityMessage {
        public Replicate {
            roots = List.copyOf(roots);
        }
    }

    /**
     * Which of the asked roots the sender holds completely, which not (yet: it fetches them, or it
     * lacks their subscription), and which it {@code refused}: it will not hold them for the asker
     * (outside its own order for them, or the asker is isolated by it). A refusal is said, never
     * left as silence, so the asker moves on to the next server without counting a timeout.
     */
    record Holding(long id, List<Cid> held, List<Cid> missing, List<Cid> refused)
            implements DurabilityMessage {
        public Holding {
            held = List.copyOf(held);
            missing = List.copyOf(missing);
            refused = List.copyOf(refused);
        }

        public Holding(long id, List<Cid> held, List<Cid> missing) {
            this(id, held, missing, List.of());
        }
    }

    /**
     * An integrity challenge: for each block, answer {@code sha256(nonce || block bytes)} (see
     * {@link Proofs}).
     */
    record Challenge(long id, Cid root, byte[] nonce, List<Cid> blocks)
            implements DurabilityMessage {
        public Challenge {
            nonce = nonce.clone();
            blocks = List.copyOf(blocks);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Challenge c
                    && c.id == id
                    && c.root.equals(root)
                    && Arrays.equals(c.nonce, nonce)
                    && c.blocks.equals(blocks);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id) * 31 + root.hashCode();
        }
    }

    /**
     * The answer to a {@link Challenge}: one proof per asked block, in order; an empty proof says
     * "I do not hold this block".
     */
    record Proof(long id, List<byte[]> proofs) implements DurabilityMessage {
        public Proof {
            proofs = copy(proofs);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Proof p && p.id == id && sameBytes(p.proofs, proofs);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id);
        }
    }

    /** The digests of the subscription records the sender holds (maintenance pull). */
    record RecordsSummary(List<byte[]> digests) implements DurabilityMessage {
        public RecordsSummary {
            digests = copy(digests);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RecordsSummary x && sameBytes(x.digests, digests);
        }

        @Override
        public int hashCode() {
            return digests.size();
        }
    }

    /** Asks for the records with these digests. */
    record RecordsRequest(List<byte[]> digests) implements DurabilityMessage {
        public RecordsRequest {
            digests = copy(digests);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RecordsRequest x && sameBytes(x.digests, digests);
        }

        @Override
        public int hashCode() {
            return digests.size();
        }
    }

    /** Signed subscription records ({@code SignedRecord} canonical encodings). */
    record Records(List<byte[]> records) implements DurabilityMessage {
        public Records {
            records = copy(records);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Records x && sameBytes(x.records, records);
        }

        @Override
        public int hashCode() {
            return records.size();
        }
    }

    /** An immutable deep copy: messages never share arrays with their callers. */
    private static List<byte[]> copy(List<byte[]> items) {
        return items.stream().map(byte[]::clone).toList();
    }

    private static boolean sameBytes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
