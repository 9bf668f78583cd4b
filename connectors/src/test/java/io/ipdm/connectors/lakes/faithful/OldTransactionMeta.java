package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlift.compress.zstd.ZstdInputStream;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Decodes the metadata frame of an Old Faithful transaction node into the {@code meta} object a
 * getBlock JSON response carries ({@code err, status, fee, preBalances, postBalances,
 * innerInstructions, logMessages, preTokenBalances, postTokenBalances, rewards, loadedAddresses,
 * returnData, computeUnitsConsumed}).
 *
 * <p>The frame is zstd-compressed. Inside is either Solana's protobuf {@code TransactionStatusMeta}
 * ({@code storage-proto/proto/confirmed_block.proto}) or, for the oldest epochs, the bincode {@code
 * StoredTransactionStatusMeta} of the ledger's transaction-status column. Old Faithful used bincode
 * before epoch {@value #BINCODE_BEFORE_EPOCH}; both layouts are tried, the epoch's one first.
 */
public final class OldTransactionMeta {
    public static final long SLOTS_PER_EPOCH = 432_000;
    public static final long BINCODE_BEFORE_EPOCH = 157;

    /** A decompressed metadata larger than this is refused rather than allocated. */
    static final int MAX_META_BYTES = 64 << 20;

    private OldTransactionMeta() {}

    /**
     * The getBlock {@code meta} object for {@code frame}, or null when the frame is empty (Old
     * Faithful writes an empty frame when the ledger had no status for the transaction).
     */
    public static ObjectNode decode(byte[] frame, long slot) {
        if (frame.length == 0) {
            return null;
        }
        byte[] raw = decompress(frame, slot);
        boolean bincodeFirst = slot / SLOTS_PER_EPOCH < BINCODE_BEFORE_EPOCH;
        try {
            return bincodeFirst ? OldBincodeMeta.decode(raw) : OldProtoMeta.decode(raw);
        } catch (MetaFormatException | ProtobufException first) {
            try {
                return bincodeFirst ? OldProtoMeta.decode(raw) : OldBincodeMeta.decode(raw);
            } catch (MetaFormatException | ProtobufException second) {
                throw new LakesException(
                        "slot "
                                + slot
                                + ": transaction metadata is neither bincode ("
                                + (bincodeFirst ? first : second).getMessage()
                                + ") nor protobuf ("
                                + (bincodeFirst ? second : first).getMessage()
                                + ")");
            }
        }
    }

    static byte[] decompress(byte[] frame, long slot) {
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(frame))) {
            byte[] out = in.readNBytes(MAX_META_BYTES + 1);
            if (out.length > MAX_META_BYTES) {
                throw new LakesException(
                        "slot "
                                + slot
                                + ": transaction metadata inflates past "
                                + MAX_META_BYTES
                                + " bytes");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (e instanceof LakesException) {
                throw e;
            }
            throw new LakesException(
                    "slot " + slot + ": transaction metadata is not valid zstd: " + e.getMessage(),
                    e);
        }
    }
}
