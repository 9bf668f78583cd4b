package io.ipdm.lakes.bitswap;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Cid;
import java.util.List;

/**
 * One Bitswap message (<a href="https://specs.ipfs.tech/bitswap-protocol/">spec</a>): wantlist
 * changes, blocks, block presences and the sender's pending bytes. Blocks here are always verified:
 * the decoder derives each block's CID by hashing its bytes (see {@link BitswapCodec}).
 *
 * @param entries wantlist entries (wants and cancels)
 * @param full whether {@code entries} replace the sender's whole wantlist
 * @param blocks blocks (1.0.0 {@code blocks} or 1.1.0+ {@code payload})
 * @param presences HAVE / DONT_HAVE answers (1.2.0)
 * @param pendingBytes bytes the sender still has queued for the receiver
 */
public record BitswapMessage(
        List<Entry> entries,
        boolean full,
        List<Block> blocks,
        List<Presence> presences,
        int pendingBytes) {

    public BitswapMessage {
        entries = List.copyOf(entries);
        blocks = List.copyOf(blocks);
        presences = List.copyOf(presences);
    }

    public static final BitswapMessage EMPTY =
            new BitswapMessage(List.of(), false, List.of(), List.of(), 0);

    public enum WantType {
        BLOCK,
        HAVE
    }

    public enum PresenceType {
        HAVE,
        DONT_HAVE
    }

    /**
     * A wantlist entry.
     *
     * @param priority higher first (the spec's int32)
     * @param cancel whether this revokes an earlier want for {@code cid}
     * @param sendDontHave whether the sender wants DONT_HAVE when the receiver lacks the block
     */
    public record Entry(
            Cid cid, int priority, boolean cancel, WantType wantType, boolean sendDontHave) {
        public static Entry want(Cid cid, WantType type, boolean sendDontHave) {
            return new Entry(cid, 1, false, type, sendDontHave);
        }

        public static Entry cancel(Cid cid) {
            return new Entry(cid, 0, true, WantType.BLOCK, false);
        }
    }

    public record Presence(Cid cid, PresenceType type) {}

    public boolean isEmpty() {
        return entries.isEmpty() && blocks.isEmpty() && presences.isEmpty() && !full;
    }

    /** Bytes of block data in the message. */
    public long blockBytes() {
        long n = 0;
        for (Block b : blocks) {
            n += b.data().length;
        }
        return n;
    }
}
