package io.ipdm.mesh.records;

import io.ipdm.mesh.identity.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which authors a {@link RecordStore} accepts records from, per record kind (a kind is a key
 * prefix: {@code subscription/}, {@code ipdm/attest/v1/}, {@code domain/}, ...). A refused record
 * is {@link PutResult.Outcome#UNAUTHORIZED}: not stored, not forwarded. Records of a kind the
 * policy does not list are refused too, so a node stores only what it has a use for.
 */
@FunctionalInterface
public interface RecordPolicy {
    /** Null when {@code record}'s author may write a record of its kind here, else why not. */
    String refusal(SignedRecord record);

    /** Every author, every kind: a store in a test or a private mesh. */
    RecordPolicy OPEN = r -> null;

    static Builder byKind() {
        return new Builder();
    }

    /** A policy from a list of kinds, the first matching prefix deciding. */
    final class Builder {
        private record Kind(byte[] prefix, String name, Predicate<PeerId> authors, String role) {}

        private final List<Kind> kinds = new ArrayList<>();

        /**
         * Records whose key starts with {@code prefix} are accepted from authors {@code authors}
         * lets in; {@code role} says in a refusal what an author lacks (e.g. "the 'subscribe' role
         * in the trust list").
         */
        public Builder kind(String prefix, String name, Predicate<PeerId> authors, String role) {
            kinds.add(new Kind(prefix.getBytes(StandardCharsets.UTF_8), name, authors, role));
            return this;
        }

        /** Records whose key starts with {@code prefix} are accepted from any author. */
        public Builder anyAuthor(String prefix, String name) {
            return kind(prefix, name, p -> true, "");
        }

        public RecordPolicy build() {
            List<Kind> list = List.copyOf(kinds);
            List<String> prefixes =
                    list.stream().map(k -> new String(k.prefix(), StandardCharsets.UTF_8)).toList();
            return r -> {
                for (Kind k : list) {
                    if (r.hasKeyPrefix(k.prefix())) {
                        if (k.authors().test(r.authorId())) {
                            return null;
                        }
                        return r
                                + ": "
                                + r.authorId()
                                + " may not author "
                                + k.name()
                                + " records here (it needs "
                                + k.role()
                                + "); refused";
                    }
                }
                return r
                        + ": no record kind of this node has its key; it stores only "
                        + String.join(", ", prefixes)
                        + "; refused";
            };
        }
    }
}
