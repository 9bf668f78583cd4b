package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A pubsub message (pubsub spec, "The Message"):
 *
 * <pre>
 * message Message {
 *   optional bytes from = 1;  optional bytes data = 2;  optional bytes seqno = 3;  required string topic = 4;
 *   optional bytes signature = 5;  optional bytes key = 6;
 * }
 * </pre>
 *
 * Under StrictSign the signature covers {@code "libp2p-pubsub:" || Message} encoded without
 * signature and key. The id is {@code protobuf(author's PublicKey) || seqno}, as js-libp2p computes
 * it for signed messages.
 */
public final class PubSubMessage {
    private static final byte[] SIGN_PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);

    private final byte[] from;
    private final byte[] data;
    private final byte[] seqno;
    private final String topic;
    private final byte[] signature;
    private final byte[] key;
    private final byte[] encoded;
    private PeerId author;
    private PublicKey authorKey;
    private MessageId id;

    private PubSubMessage(
            byte[] from,
            byte[] data,
            byte[] seqno,
            String topic,
            byte[] signature,
            byte[] key,
            byte[] encoded) {
        this.from = from;
        this.data = data;
        this.seqno = seqno;
        this.topic = topic;
        this.signature = signature;
        this.key = key;
        this.encoded = encoded;
    }

    /** Builds and signs a message authored by {@code identity}. */
    public static PubSubMessage sign(
            Ed25519KeyPair identity, String topic, byte[] data, long seqno) {
        byte[] from = identity.peerId().toBytes();
        byte[] seq = new byte[8];
        for (int i = 0; i < 8; i++) {
            seq[i] = (byte) (seqno >>> (56 - 8 * i));
        }
        byte[] unsigned = unsignedEncoding(from, data, seq, topic);
        byte[] toSign = Arrays.copyOf(SIGN_PREFIX, SIGN_PREFIX.length + unsigned.length);
        System.arraycopy(unsigned, 0, toSign, SIGN_PREFIX.length, unsigned.length);
        byte[] sig = identity.sign(toSign);
        byte[] encoded =
                new ProtoWriter()
                        .bytes(1, from)
                        .bytes(2, data)
                        .bytes(3, seq)
                        .string(4, topic)
                        .bytes(5, sig)
                        .toByteArray();
        PubSubMessage m = new PubSubMessage(from, data.clone(), seq, topic, sig, null, encoded);
        m.author = identity.peerId();
        m.authorKey = identity.publicKey();
        return m;
    }

    private static byte[] unsignedEncoding(byte[] from, byte[] data, byte[] seqno, String topic) {
        ProtoWriter w = new ProtoWriter();
        if (from != null) {
            w.bytes(1, from);
        }
        if (data != null) {
            w.bytes(2, data);
        }
        if (seqno != null) {
            w.bytes(3, seqno);
        }
        if (topic != null) {
            w.string(4, topic);
        }
        return w.toByteArray();
    }

    /** Parses a Message; structure only, see {@link #verify()} for the signature. */
    public static PubSubMessage decode(byte[] encoded) {
        ProtoReader r = new ProtoReader(encoded, "Message");
        byte[] from = null;
        byte[] data = null;
        byte[] seqno = null;
        String topic = null;
        byte[] sig = null;
        byte[] key = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> from = r.bytes();
                case 2 -> data = r.bytes();
                case 3 -> seqno = r.bytes();
                case 4 -> topic = r.string();
                case 5 -> sig = r.bytes();
                case 6 -> key = r.bytes();
                default -> r.skip();
            }
        }
        if (topic == null) {
            throw new GossipException("message has no topic");
        }
        return new PubSubMessage(from, data, seqno, topic, sig, key, encoded);
    }

    /**
     * StrictSign validation: author, seqno and signature present, the key (inlined in the peer id
     * or in the key field) matches the author, and the signature verifies.
     *
     * @throws GossipException naming the first problem
     */
    public void verify() {
        if (from == null || seqno == null || signature == null) {
            throw new GossipException(
                    "unsigned message rejected (StrictSign needs from, seqno and signature)");
        }
        if (seqno.length != 8) {
            throw new GossipException("message seqno must be 8 bytes, got " + seqno.length);
        }
        PublicKey pk;
        try {
            author = PeerId.fromBytes(from);
            pk = key != null ? PublicKey.fromProtobuf(key) : author.inlinedPublicKey();
        } catch (IdentityException e) {
            throw new GossipException("message author is invalid: " + e.getMessage());
        }
        if (pk == null) {
            throw new GossipException(
                    "message author " + author + " has no inlined key and no key field");
        }
        if (!author.matches(pk)) {
            throw new GossipException("message key does not match its author " + author);
        }
        byte[] unsigned = unsignedEncoding(from, data, seqno, topic);
        byte[] signed = Arrays.copyOf(SIGN_PREFIX, SIGN_PREFIX.length + unsigned.length);
        System.arraycopy(unsigned, 0, signed, SIGN_PREFIX.length, unsigned.length);
        boolean ok;
        try {
            ok = pk.verify(signed, signature);
        } catch (IdentityException e) {
            throw new GossipException("cannot verify message signature: " + e.getMessage());
        }
        if (!ok) {
            throw new GossipException("message signature does not verify for author " + author);
        }
        authorKey = pk;
    }

    /** The id: protobuf(author key) || seqno; needs the message to carry from and seqno. */
    public MessageId id() {
        if (id == null) {
            if (from == null || seqno == null) {
                throw new GossipException("message without from/seqno has no id");
            }
            PublicKey pk = authorKey;
            if (pk == null) {
                try {
                    pk =
                            key != null
                                    ? PublicKey.fromProtobuf(key)
                                    : PeerId.fromBytes(from).inlinedPublicKey();
                } catch (IdentityException e) {
                    throw new GossipException("message author is invalid: " + e.getMessage());
                }
            }
            byte[] kb = pk == null ? from : pk.toProtobuf();
            byte[] b = Arrays.copyOf(kb, kb.length + seqno.length);
            System.arraycopy(seqno, 0, b, kb.length, seqno.length);
            id = new MessageId(b);
        }
        return id;
    }

    public String topic() {
        return topic;
    }

    public byte[] data() {
        return data == null ? new byte[0] : data.clone();
    }

    /** The author, known after {@link #verify()} or for locally signed messages. */
    public PeerId author() {
        return author;
    }

    public long seqno() {
        long v = 0;
        for (byte b : seqno) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    int dataLength() {
        return data == null ? 0 : data.length;
    }

    byte[] encoded() {
        return encoded;
    }

    /** The message's wire bytes (a copy). */
    public byte[] toBytes() {
        return encoded.clone();
    }
}
