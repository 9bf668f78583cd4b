package io.ipdm.mesh.identity;

import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.MultiaddrException;
import io.ipdm.multiformats.Varint;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A libp2p signed peer record (RFC 0003) in its signed envelope (RFC 0002): a peer's own statement
 * of its addresses, which a third party can relay (gossipsub peer exchange, identify's {@code
 * signedPeerRecord}) and a receiver can check.
 *
 * <pre>
 * message Envelope { PublicKey public_key = 1; bytes payload_type = 2; bytes payload = 3; bytes signature = 5; }
 * message PeerRecord { message AddressInfo { bytes multiaddr = 1; }
 *                      bytes peer_id = 1; uint64 seq = 2; repeated AddressInfo addresses = 3; }
 * </pre>
 *
 * The signature covers {@code varint(len) ‖ "libp2p-peer-record" ‖ varint(len) ‖ payload_type ‖
 * varint(len) ‖ payload}; the payload type is the multicodec {@code libp2p-peer-record} (0x0301) as
 * the two bytes {@code 03 01}, as go- and js-libp2p write it.
 *
 * @param peer the peer the addresses belong to (the signer)
 * @param seq increases with each new record of the peer (a later record replaces an earlier one)
 * @param addresses the addresses we could parse; others (transports we do not speak) are skipped
 */
public record PeerRecord(PeerId peer, long seq, List<Multiaddr> addresses) {
    public static final String DOMAIN = "libp2p-peer-record";
    public static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

    /** An envelope larger than this is refused before it is parsed. */
    public static final int MAX_ENVELOPE = 8 * 1024;

    /** At most this many addresses are read from one record. */
    public static final int MAX_ADDRESSES = 32;

    public PeerRecord {
        addresses = List.copyOf(addresses);
    }

    /** Signs this record with {@code key} (whose peer id must be {@link #peer}). */
    public byte[] seal(Ed25519KeyPair key) {
        if (!key.peerId().equals(peer)) {
            throw new IllegalArgumentException(
                    "a peer record of " + peer + " cannot be signed by " + key.peerId());
        }
        ProtoWriter w = new ProtoWriter().bytes(1, peer.toBytes()).uint64(2, seq);
        for (Multiaddr a : addresses) {
            w.message(3, new ProtoWriter().bytes(1, a.withoutPeerId().toBytes()));
        }
        byte[] payload = w.toByteArray();
        return new ProtoWriter()
                .bytes(1, key.publicKey().toProtobuf())
                .bytes(2, PAYLOAD_TYPE)
                .bytes(3, payload)
                .bytes(5, key.sign(signedBytes(payload)))
                .toByteArray();
    }

    /**
     * Decodes and verifies an envelope: size, payload type, signature by the enclosed key, and that
     * the record's peer id is that key's. Throws {@link IdentityException} naming what is wrong.
     */
    public static PeerRecord open(byte[] envelope) {
        if (envelope.length > MAX_ENVELOPE) {
            throw new IdentityException(
                    "signed peer record of "
                            + envelope.length
                            + " bytes is over the "
                            + MAX_ENVELOPE
                            + "-byte limit");
        }
        PublicKey key = null;
        byte[] type = null;
        byte[] payload = null;
        byte[] signature = null;
        try {
            ProtoReader r = new ProtoReader(envelope, "Envelope");
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> key = PublicKey.fromProtobuf(r.bytes());
                    case 2 -> type = r.bytes();
                    case 3 -> payload = r.bytes();
                    case 5 -> signature = r.bytes();
                    default -> r.skip();
                }
            }
        } catch (RuntimeException e) {
            throw new IdentityException("signed peer record: " + e.getMessage());
        }
        if (key == null || type == null || payload == null || signature == null) {
            throw new IdentityException(
                    "signed peer record lacks its public key, payload type, payload or signature");
        }
        if (!Arrays.equals(type, PAYLOAD_TYPE)) {
            throw new IdentityException(
                    "signed envelope carries payload type "
                            + java.util.HexFormat.of().formatHex(type)
                            + ", not a peer record (0301)");
        }
        if (!key.verify(signedBytes(payload), signature)) {
            throw new IdentityException(
                    "signed peer record of "
                            + key.toPeerId()
                            + ": signature does not verify against the enclosed key");
        }
        PeerId peer = null;
        long seq = 0;
        List<Multiaddr> addrs = new ArrayList<>();
        try {
            ProtoReader r = new ProtoReader(payload, "PeerRecord");
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> peer = PeerId.fromBytes(r.bytes());
                    case 2 -> seq = r.uint64();
                    case 3 -> {
                        ProtoReader a = new ProtoReader(r.bytes(), "AddressInfo");
                        while (a.next()) {
                            if (a.field() == 1 && addrs.size() < MAX_ADDRESSES) {
                                try {
                                    addrs.add(Multiaddr.fromBytes(a.bytes()));
                                } catch (MultiaddrException e) {
                                    // a transport we do not speak: skip the address
                                }
                            } else {
                                a.skip();
                            }
                        }
                    }
                    default -> r.skip();
                }
            }
        } catch (IdentityException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IdentityException("signed peer record: " + e.getMessage());
        }
        if (peer == null || !peer.matches(key)) {
            throw new IdentityException(
                    "signed peer record names peer "
                            + peer
                            + " but is signed by "
                            + key.toPeerId());
        }
        return new PeerRecord(peer, seq, addrs);
    }

    private static byte[] signedBytes(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] domain = DOMAIN.getBytes(StandardCharsets.US_ASCII);
        for (byte[] part : new byte[][] {domain, PAYLOAD_TYPE, payload}) {
            out.writeBytes(Varint.encode(part.length));
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
