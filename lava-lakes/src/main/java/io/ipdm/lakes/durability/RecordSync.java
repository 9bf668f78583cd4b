package io.ipdm.lakes.durability;

import io.ipdm.lakes.durability.DurabilityMessage.Records;
import io.ipdm.lakes.durability.DurabilityMessage.RecordsRequest;
import io.ipdm.lakes.durability.DurabilityMessage.RecordsSummary;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.records.SignedRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The maintenance pull of subscription records: a {@link RecordsSummary} lists the digests a node
 * holds; the receiver asks for those it lacks and pushes those the sender lacks, in {@link Records}
 * messages that fit the codec's frame and item limits. Gossip is the fast path; this catches what
 * gossip missed (a node that was down, a new node). Not thread-safe: owned by the engine.
 */
final class RecordSync {
    private final SubscriptionBook book;
    private final DurabilityCodec codec;
    private final BiConsumer<PeerId, DurabilityMessage> send;

    RecordSync(
            SubscriptionBook book,
            DurabilityCodec codec,
            BiConsumer<PeerId, DurabilityMessage> send) {
        this.book = book;
        this.codec = codec;
        this.send = send;
    }

    RecordsSummary summary() {
        return new RecordsSummary(book.digests());
    }

    void onSummary(PeerId from, RecordsSummary s) {
        Set<ByteBuffer> theirs = new HashSet<>();
        List<byte[]> want = new ArrayList<>();
        for (byte[] d : s.digests()) {
            theirs.add(ByteBuffer.wrap(d));
            if (book.record(d) == null && want.size() < codec.maxItems()) {
                want.add(d);
            }
        }
        if (!want.isEmpty()) {
            send.accept(from, new RecordsRequest(want));
        }
        List<byte[]> push = new ArrayList<>();
        for (byte[] d : book.digests()) {
            if (!theirs.contains(ByteBuffer.wrap(d))) {
                push.add(d);
            }
        }
        sendRecords(from, push);
    }

    /** Sends the held records among {@code digests}, split to fit the frame and item limits. */
    void sendRecords(PeerId to, List<byte[]> digests) {
        List<byte[]> batch = new ArrayList<>();
        int bytes = 0;
        int budget = codec.maxMessageBytes() - 64;
        for (byte[] d : digests) {
            SignedRecord r = book.record(d);
            if (r == null) {
                continue;
            }
            int len = r.encodedLength() + 8;
            if (!batch.isEmpty() && (bytes + len > budget || batch.size() == codec.maxItems())) {
                send.accept(to, new Records(batch));
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(r.encoded());
            bytes += len;
        }
        if (!batch.isEmpty()) {
            send.accept(to, new Records(batch));
        }
    }

    /** Whether these record bytes are the very record held already (no need to decode them). */
    boolean held(byte[] encoded) {
        return book.record(Proofs.sha256(encoded)) != null;
    }
}
