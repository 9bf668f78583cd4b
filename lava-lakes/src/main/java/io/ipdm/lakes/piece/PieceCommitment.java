package io.ipdm.lakes.piece;

import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.Varint;

/**
 * A Filecoin piece commitment (CommP): the root of the sha2-256-trunc254 binary tree over the Fr32
 * padded payload, with the sizes needed for its CIDs.
 *
 * @param root the 32-byte CommP
 * @param payloadSize bytes of payload that went in
 * @param paddedPieceSize the padded piece size (a power of two, at least 128)
 */
public record PieceCommitment(byte[] root, long payloadSize, long paddedPieceSize) {
    public PieceCommitment {
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** log2 of the number of 32-byte leaves. */
    public int height() {
        return Long.numberOfTrailingZeros(paddedPieceSize / 32);
    }

    /** Unpadded bytes of zero padding after the payload (FRC-0069). */
    public long padding() {
        return paddedPieceSize / 128 * 127 - payloadSize;
    }

    /** Piece CID v1: fil-commitment-unsealed + sha2-256-trunc254-padded (baga6ea4sea...). */
    public Cid cidV1() {
        return Cid.v1(
                Multicodec.FIL_COMMITMENT_UNSEALED,
                new Multihash(Multicodec.SHA2_256_TRUNC254_PADDED.code(), root));
    }

    /**
     * Piece CID v2 (FRC-0069): raw + fr32-sha256-trunc254-padbintree whose digest is {@code
     * varint(padding) height:u8 root[32]} (bafkzcib...).
     */
    public Cid cidV2() {
        long padding = padding();
        byte[] digest = new byte[Varint.encodedLength(padding) + 1 + 32];
        int p = Varint.write(padding, digest, 0);
        digest[p++] = (byte) height();
        System.arraycopy(root, 0, digest, p, 32);
        return Cid.v1(
                Multicodec.RAW,
                new Multihash(Multicodec.FR32_SHA256_TRUNC254_PADBINTREE.code(), digest));
    }

    /** Reads a piece CID v2 back into its parts. */
    public static PieceCommitment fromCidV2(Cid cid) {
        if (cid.codec() != Multicodec.RAW.code()
                || cid.multihash().code() != Multicodec.FR32_SHA256_TRUNC254_PADBINTREE.code()) {
            throw new LakesException(
                    cid + " is not a piece CID v2 (raw + fr32-sha256-trunc254-padbintree)");
        }
        byte[] d = cid.multihash().digest();
        Varint.Decoded padding = Varint.read(d, 0);
        if (d.length != padding.length() + 33) {
            throw new LakesException(
                    "piece CID v2 digest has "
                            + d.length
                            + " bytes; expected padding, height and a 32-byte root");
        }
        int height = d[padding.length()] & 0xFF;
        long padded = 32L << height;
        byte[] root = java.util.Arrays.copyOfRange(d, padding.length() + 1, d.length);
        return new PieceCommitment(root, padded / 128 * 127 - padding.value(), padded);
    }
}
