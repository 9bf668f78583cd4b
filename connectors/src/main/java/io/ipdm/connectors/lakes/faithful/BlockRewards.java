package io.ipdm.connectors.lakes.faithful;

import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.protobuf.ProtobufException;

/**
 * The data of an Old Faithful Rewards node (kind 5): the block's rewards as a zstd-compressed
 * protobuf {@code Rewards} message ({@code repeated Reward rewards = 1}). The row model keeps the
 * leader (the pubkey of the Fee reward) and its lamports; an empty frame means no rewards.
 */
public final class BlockRewards {
    /** The block's leader and the lamports of its Fee rewards. */
    public record Leader(String pubkey, long lamports) {}

    private BlockRewards() {}

    /** The leader of the rewards in {@code buf[offset, offset + length)}, or null for none. */
    public static Leader leader(byte[] buf, int offset, int length) {
        if (length == 0) {
            return null;
        }
        byte[] raw = TransactionMeta.decompress(buf, offset, length, "the block rewards");
        try {
            return ProtoMeta.leader(raw);
        } catch (ProtobufException e) {
            throw new LakesException(
                    "the block rewards are not a protobuf Rewards message: " + e.getMessage(), e);
        }
    }
}
