package io.ipdm.connectors.lakes.faithful;

import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Cid;
import java.util.List;

/**
 * The Old Faithful node kinds ({@code ledger.ipldsch} of rpcpool/yellowstone-faithful: dag-cbor
 * lists, "representation tuple"), and the structural reads of them the slot index and the lake walk
 * use ({@link FaithfulBlockDecoder} decodes a block's nodes in place into rows).
 *
 * <pre>
 * Transaction [0, data DataFrame, metadata DataFrame, slot, index?]
 * Entry       [1, numHashes, hash bytes, [&amp;Transaction]]
 * Block       [2, slot, [[entryEndIdx, shredEndIdx]], [&amp;Entry], [parent_slot, blocktime, block_height?], &amp;Rewards]
 * Subset      [3, first, last, [&amp;Block]]
 * Epoch       [4, epoch, [&amp;Subset]]
 * Rewards     [5, slot, data DataFrame]
 * DataFrame   [6, hash?, index?, total?, data bytes, next [&amp;DataFrame]?]
 * </pre>
 *
 * The blockhash is the hash of the block's last entry. Transaction metadata and rewards are
 * zstd-compressed protobuf or bincode ({@link TransactionMeta}, {@link BlockRewards}); a Rewards
 * link with an empty identity digest means "no rewards".
 */
public final class FaithfulNodes {
    public static final int TRANSACTION = 0;
    public static final int ENTRY = 1;
    public static final int BLOCK = 2;
    public static final int SUBSET = 3;
    public static final int EPOCH = 4;
    public static final int REWARDS = 5;
    public static final int DATA_FRAME = 6;

    /** getBlock's previousBlockhash when the parent block is not known (all-zero hash). */
    public static final String ZERO_HASH = "11111111111111111111111111111111";

    private static final String[] NAMES = {
        "Transaction", "Entry", "Block", "Subset", "Epoch", "Rewards", "DataFrame"
    };

    private FaithfulNodes() {}

    /** The dag-cbor list of an Old Faithful node, or an error naming the CID and where. */
    public static List<?> decode(Cid cid, byte[] data, String where) {
        Object v;
        try {
            v = DagCbor.decode(data);
        } catch (CodecException | IllegalArgumentException e) {
            throw new LakesException(
                    where + ": block " + cid + " is not dag-cbor: " + e.getMessage());
        }
        if (!(v instanceof List<?> node) || node.isEmpty() || !(node.get(0) instanceof Long k)) {
            throw new LakesException(
                    where + ": block " + cid + " is not an Old Faithful node (a list with a kind)");
        }
        if (k < 0 || k >= NAMES.length) {
            throw new LakesException(where + ": block " + cid + " has unknown node kind " + k);
        }
        return node;
    }

    public static int kind(List<?> node) {
        return ((Long) node.get(0)).intValue();
    }

    public static String kindName(int kind) {
        return kind >= 0 && kind < NAMES.length ? NAMES[kind] : "kind " + kind;
    }

    /** The slot of a Block node. */
    public static long slot(List<?> block) {
        return (Long) block.get(1);
    }

    /** The parent slot in a Block node's meta. */
    public static long parentSlot(List<?> block) {
        return (Long) ((List<?>) block.get(4)).get(0);
    }

    /** The Entry CIDs a Block node links, in order. */
    @SuppressWarnings("unchecked")
    public static List<Cid> entries(List<?> block) {
        return (List<Cid>) block.get(3);
    }

    /** The Block CIDs of a Subset node, or the Subset CIDs of an Epoch node. */
    @SuppressWarnings("unchecked")
    public static List<Cid> children(List<?> subsetOrEpoch) {
        return (List<Cid>) subsetOrEpoch.get(kind(subsetOrEpoch) == SUBSET ? 3 : 2);
    }

    /** The rewards link of a Block node, or null when it links none (empty identity CID). */
    public static Cid rewards(List<?> block) {
        if (block.size() < 6 || !(block.get(5) instanceof Cid c)) {
            return null;
        }
        return c.multihash().digest().length == 0 ? null : c;
    }

    /** The hash of an Entry node, base58 (the blockhash when it is a block's last entry). */
    public static String entryHash(List<?> entry) {
        return Base58.encode((byte[]) entry.get(2));
    }
}
