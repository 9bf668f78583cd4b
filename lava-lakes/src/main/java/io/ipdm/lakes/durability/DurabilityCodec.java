package io.ipdm.lakes.durability;

import io.ipdm.lakes.durability.DurabilityMessage.Challenge;
import io.ipdm.lakes.durability.DurabilityMessage.Hello;
import io.ipdm.lakes.durability.DurabilityMessage.Holding;
import io.ipdm.lakes.durability.DurabilityMessage.Proof;
import io.ipdm.lakes.durability.DurabilityMessage.Records;
import io.ipdm.lakes.durability.DurabilityMessage.RecordsRequest;
import io.ipdm.lakes.durability.DurabilityMessage.RecordsSummary;
import io.ipdm.lakes.durability.DurabilityMessage.Replicate;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The bytes of {@link DurabilityMessage}s (protobuf wire format), one message per frame of the
 * {@code /ipdm/durability/1.0.0} stream (the adapter frames them with an unsigned varint length):
 *
 * <pre>
 * message Envelope {            // exactly one field
 *   Hello     hello     = 1;    // { string domain = 1; }
 *   Replicate replicate = 2;    // { uint64 id = 1; repeated bytes roots = 2; }          CIDs
 *   Holding   holding   = 3;    // { uint64 id = 1; repeated bytes held = 2; repeated bytes missing = 3;
 *                               //   repeated bytes refused = 4; }
 *   Challenge challenge = 4;    // { uint64 id = 1; bytes root = 2; bytes nonce = 3; repeated bytes blocks = 4; }
 *   Proof     proof     = 5;    // { uint64 id = 1; repeated bytes proofs = 2; }         32 or 0 bytes each
 *   Digests   summary   = 6;    // { repeated bytes digests = 1; }                      32 bytes each
 *   Digests   request   = 7;
 *   Records   records   = 8;    // { repeated bytes records = 1; }                      SignedRecord bytes
 * }
 * </pre>
 *
 * Limits are set at construction: the frame size, the number of items in any list, a record's size
 * and the domain's length; anything over them, or malformed, is a {@link DurabilityException}
 * naming the message, the field and the limit. Unknown fields inside a body are skipped (newer
 * peers may add some); an unknown or missing body is an error.
 */
public final class DurabilityCodec {
    public static final String PROTOCOL = "/ipdm/durability/1.0.0";
    public static final int NONCE_BYTES = 32;
    public static final int PROOF_BYTES = 32;
    private static final int DIGEST_BYTES = 32;
    private static final int MAX_DOMAIN = 64;

    private final int maxMessageBytes;
    private final int maxItems;
    private final int maxRecordBytes;

    /**
     * @param maxMessageBytes largest frame accepted or produced
     * @param maxItems most entries in any list (roots, blocks, proofs, digests, records)
     * @param maxRecordBytes largest signed subscription record
     */
    public DurabilityCodec(int maxMessageBytes, int maxItems, int maxRecordBytes) {
        if (maxMessageBytes < 64 || maxItems < 1 || maxRecordBytes < 64) {
            throw new IllegalArgumentException(
                    "durability codec: maxMessageBytes >= 64, maxItems >= 1, maxRecordBytes >= 64");
        }
        this.maxMessageBytes = maxMessageBytes;
        this.maxItems = maxItems;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** 1 MiB frames, 1024 items, 64 KiB records. */
    public static DurabilityCodec defaults() {
        return new DurabilityCodec(1 << 20, 1024, 64 << 10);
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public int maxItems() {
        return maxItems;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public byte[] encode(DurabilityMessage m) {
        ProtoWriter body = new ProtoWriter();
        int field;
        switch (m) {
            case Hello h -> {
                field = 1;
                checkDomain(h.domain());
                body.string(1, h.domain());
            }
            case Replicate r -> {
                field = 2;
                body.uint64(1, r.id());
                cids(body, 2, r.roots(), "replicate.roots");
            }
            case Holding h -> {
                field = 3;
                body.uint64(1, h.id());
                cids(body, 2, h.held(), "holding.held");
                cids(body, 3, h.missing(), "holding.missing");
                cids(body, 4, h.refused(), "holding.refused");
            }
            case Challenge c -> {
                field = 4;
                body.uint64(1, c.id()).bytes(2, c.root().toBytes()).bytes(3, c.nonce());
                cids(body, 4, c.blocks(), "challenge.blocks");
            }
            case Proof p -> {
                field = 5;
                body.uint64(1, p.id());
                blobs(body, 2, p.proofs(), "proof.proofs");
            }
            case RecordsSummary s -> {
                field = 6;
                blobs(body, 1, s.digests(), "summary.digests");
            }
            case RecordsRequest r -> {
                field = 7;
                blobs(body, 1, r.digests(), "request.digests");
            }
            case Records r -> {
                field = 8;
                blobs(body, 1, r.records(), "records.records");
            }
        }
        byte[] out = new ProtoWriter().message(field, body).toByteArray();
        if (out.length > maxMessageBytes) {
            throw new DurabilityException(
                    "durability message of "
                            + out.length
                            + " bytes exceeds the frame limit of "
                            + maxMessageBytes
                            + " bytes (maxMessageBytes); send fewer items per message");
        }
        return out;
    }

    public DurabilityMessage decode(byte[] frame) {
        if (frame.length > maxMessageBytes) {
            throw new DurabilityException(
                    "durability frame of "
                            + frame.length
                            + " bytes exceeds the limit of "
                            + maxMessageBytes
                            + " bytes (maxMessageBytes)");
        }
        try {
            ProtoReader env = new ProtoReader(frame, "durability envelope");
            if (!env.next()) {
                throw new DurabilityException("durability message: empty envelope");
            }
            int field = env.field();
            if (field < 1 || field > 8) {
                throw new DurabilityException(
                        "durability message: unknown message type (envelope field "
                                + field
                                + "); this peer speaks "
                                + PROTOCOL);
            }
            ProtoReader r = env.nested(NAMES[field]);
            if (env.next()) {
                throw new DurabilityException(
                        "durability message: more than one body in the envelope (field "
                                + env.field()
                                + " after "
                                + field
                                + ")");
            }
            return switch (field) {
                case 1 -> hello(r);
                case 2 -> replicate(r);
                case 3 -> holding(r);
                case 4 -> challenge(r);
                case 5 -> proof(r);
                case 6 -> new RecordsSummary(blobList(r, DIGEST, "summary.digests"));
                case 7 -> new RecordsRequest(blobList(r, DIGEST, "request.digests"));
                default -> new Records(blobList(r, record, "records.records"));
            };
        } catch (MultiformatException e) {
            throw new DurabilityException("durability message: malformed: " + e.getMessage());
        }
    }

    private static final String[] NAMES = {
        "", "hello", "replicate", "holding", "challenge", "proof", "summary", "request", "records"
    };

    private Hello hello(ProtoReader r) {
        String domain = "";
        while (r.next()) {
            if (r.field() == 1) {
                domain = r.string();
            } else {
                r.skip();
            }
        }
        checkDomain(domain);
        return new Hello(domain);
    }

    private Replicate replicate(ProtoReader r) {
        long id = 0;
        List<Cid> roots = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.uint64();
                case 2 -> addCid(roots, r, "replicate.roots");
                default -> r.skip();
            }
        }
        return new Replicate(id, roots);
    }

    private Holding holding(ProtoReader r) {
        long id = 0;
        List<Cid> held = new ArrayList<>();
        List<Cid> missing = new ArrayList<>();
        List<Cid> refused = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.uint64();
                case 2 -> addCid(held, r, "holding.held");
                case 3 -> addCid(missing, r, "holding.missing");
                case 4 -> addCid(refused, r, "holding.refused");
                default -> r.skip();
            }
        }
        return new Holding(id, held, missing, refused);
    }

    private Challenge challenge(ProtoReader r) {
        long id = 0;
        Cid root = null;
        byte[] nonce = null;
        List<Cid> blocks = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.uint64();
                case 2 -> root = cid(r, "challenge.root");
                case 3 -> nonce = r.bytes();
                case 4 -> addCid(blocks, r, "challenge.blocks");
                default -> r.skip();
            }
        }
        if (root == null) {
            throw new DurabilityException("challenge: root (field 2) is missing");
        }
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new DurabilityException(
                    "challenge: nonce must be "
                            + NONCE_BYTES
                            + " bytes, got "
                            + (nonce == null ? "none" : nonce.length));
        }
        if (blocks.isEmpty()) {
            throw new DurabilityException("challenge: no blocks asked (field 4)");
        }
        return new Challenge(id, root, nonce, blocks);
    }

    private Proof proof(ProtoReader r) {
        long id = 0;
        List<byte[]> proofs = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.uint64();
                case 2 -> addBlob(proofs, r, PROOF, "proof.proofs");
                default -> r.skip();
            }
        }
        return new Proof(id, proofs);
    }

    /**
     * What a bytes entry may be: {@code check} answers null when a length is fine, else why not;
     * errors name {@code label} (null: the field's name) and the entry's index.
     */
    private record Shape(String label, IntFunction<String> check) {}

    private static final Shape DIGEST =
            new Shape(
                    null,
                    n -> n == DIGEST_BYTES ? null : "is " + n + " bytes, not " + DIGEST_BYTES);

    private static final Shape PROOF =
            new Shape(
                    "proof",
                    n ->
                            n == 0 || n == PROOF_BYTES
                                    ? null
                                    : "is "
                                            + n
                                            + " bytes; a proof is "
                                            + PROOF_BYTES
                                            + " bytes, or empty for a block not held");

    private final Shape record =
            new Shape(
                    null,
                    n ->
                            n <= maxRecordBytes()
                                    ? null
                                    : "of "
                                            + n
                                            + " bytes exceeds the limit of "
                                            + maxRecordBytes()
                                            + " bytes (maxRecordBytes)");

    /** The entries of field 1, the only field of a list body. */
    private List<byte[]> blobList(ProtoReader r, Shape shape, String name) {
        List<byte[]> out = new ArrayList<>();
        while (r.next()) {
            if (r.field() == 1) {
                addBlob(out, r, shape, name);
            } else {
                r.skip();
            }
        }
        return out;
    }

    /** One entry of a repeated bytes field, checked against its shape and the item limit. */
    private void addBlob(List<byte[]> list, ProtoReader r, Shape shape, String name) {
        byte[] b = r.bytes();
        String bad = shape.check().apply(b.length);
        if (bad != null) {
            throw new DurabilityException(
                    (shape.label() == null ? name : shape.label())
                            + ": entry "
                            + list.size()
                            + " "
                            + bad);
        }
        add(list, b, name);
    }

    /** One entry of a repeated CID field, counted against the item limit. */
    private void addCid(List<Cid> list, ProtoReader r, String name) {
        add(list, cid(r, name), name);
    }

    private <T> void add(List<T> list, T item, String name) {
        if (list.size() >= maxItems) {
            throw new DurabilityException(
                    name + ": more than " + maxItems + " entries (maxItems); split the message");
        }
        list.add(item);
    }

    private static Cid cid(ProtoReader r, String name) {
        byte[] b = r.bytes();
        try {
            return Cid.fromBytes(b);
        } catch (MultiformatException e) {
            throw new DurabilityException(name + ": not a CID: " + e.getMessage());
        }
    }

    private void cids(ProtoWriter w, int field, List<Cid> cids, String name) {
        checkCount(cids.size(), name);
        for (Cid c : cids) {
            w.bytes(field, c.toBytes());
        }
    }

    private void blobs(ProtoWriter w, int field, List<byte[]> items, String name) {
        checkCount(items.size(), name);
        for (byte[] b : items) {
            w.bytes(field, b);
        }
    }

    private void checkCount(int n, String name) {
        if (n > maxItems) {
            throw new DurabilityException(
                    name + ": " + n + " entries exceed the limit of " + maxItems + " (maxItems)");
        }
    }

    private static void checkDomain(String domain) {
        if (domain.length() > MAX_DOMAIN) {
            throw new DurabilityException(
                    "hello: domain of " + domain.length() + " chars exceeds " + MAX_DOMAIN);
        }
    }
}
