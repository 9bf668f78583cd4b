package io.ipdm.connectors.solana.bench.baseline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * BENCHMARK BASELINE ONLY (test scope): the Old Faithful decoder as it was before the direct
 * decoder ({@code FaithfulBlockDecoder}) replaced it, kept so {@code ArchiveDecodeBench} measures
 * old and new in the same run. Not on any read path.
 *
 * <p>The Old Faithful node kinds ({@code ledger.ipldsch} of rpcpool/yellowstone-faithful: dag-cbor
 * lists, "representation tuple") and how a Block node with the nodes it links becomes a decoded
 * block. A Block node is turned into the getBlock JSON it stands for and decoded by the Solana
 * connector's own {@link GetBlockDecoder}, so every source shares one decoder and one row schema.
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
 * zstd-compressed protobuf ({@link OldTransactionMeta}, {@link OldBlockRewards}); a Rewards link
 * with an empty identity digest means "no rewards".
 */
public final class OldFaithfulNodes {
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
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OldFaithfulNodes() {}

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

    /**
     * Decodes a Block node; {@code nodes} resolves the entries, transactions, data frames and
     * rewards it links (null when absent); {@code previousBlockhash} is the parent's blockhash or
     * {@link #ZERO_HASH} when the parent is not known.
     */
    public static SolanaBlock decodeBlock(
            List<?> node, Function<Cid, List<?>> nodes, String previousBlockhash, String source) {
        long slot;
        List<?> meta;
        List<?> entries;
        try {
            slot = slot(node);
            entries = (List<?>) node.get(3);
            meta = (List<?>) node.get(4);
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw new LakesException(
                    source + ": Block node does not follow the Old Faithful schema");
        }
        String where = source + ": slot " + slot;
        ObjectNode result = F.objectNode();
        ArrayNode txs = result.putArray("transactions");
        String blockhash = null;
        for (Object e : entries) {
            List<?> entry = require(nodes, (Cid) e, ENTRY, where);
            blockhash = entryHash(entry);
            for (Object t : (List<?>) entry.get(3)) {
                List<?> tx = require(nodes, (Cid) t, TRANSACTION, where);
                int index = txs.size();
                String txWhere = where + ", transaction " + index;
                ObjectNode item = txs.addObject();
                ArrayNode wire = item.putArray("transaction");
                wire.add(
                        Base64.getEncoder()
                                .encodeToString(frameBytes((List<?>) tx.get(1), nodes, txWhere)));
                wire.add("base64");
                byte[] metaFrame = frameBytes((List<?>) tx.get(2), nodes, txWhere);
                ObjectNode txMeta;
                try {
                    txMeta = OldTransactionMeta.decode(metaFrame, slot);
                } catch (LakesException ex) {
                    throw new LakesException(txWhere + ": " + ex.getMessage(), ex);
                }
                if (txMeta == null) {
                    item.putNull("meta");
                } else {
                    item.set("meta", txMeta);
                }
            }
        }
        if (blockhash == null) {
            throw new LakesException(where + ": Block node links no entries");
        }
        result.put("blockhash", blockhash);
        result.put("previousBlockhash", previousBlockhash);
        result.put("parentSlot", (Long) meta.get(0));
        Object time = meta.size() > 1 ? meta.get(1) : null;
        if (time instanceof Long t && t != 0) {
            result.put("blockTime", t);
        } else {
            result.putNull("blockTime");
        }
        if (meta.size() > 2 && meta.get(2) instanceof Long h) {
            result.put("blockHeight", h);
        } else {
            result.putNull("blockHeight");
        }
        Cid rewards = rewards(node);
        if (rewards == null) {
            result.putArray("rewards");
        } else {
            List<?> r = require(nodes, rewards, REWARDS, where);
            result.set(
                    "rewards",
                    OldBlockRewards.decode(frameBytes((List<?>) r.get(2), nodes, where), slot));
        }
        return GetBlockDecoder.decode(result, source, slot);
    }

    private static List<?> require(Function<Cid, List<?>> nodes, Cid cid, int kind, String where) {
        List<?> n = nodes.apply(cid);
        if (n == null) {
            throw new LakesException(
                    where + ": the " + kindName(kind) + " node " + cid + " it links is missing");
        }
        if (kind(n) != kind) {
            throw new LakesException(
                    where
                            + ": "
                            + cid
                            + " is a "
                            + kindName(kind(n))
                            + " node where a "
                            + kindName(kind)
                            + " node is linked");
        }
        return n;
    }

    /** The bytes of a DataFrame and the continuation frames its {@code next} links, in order. */
    static byte[] frameBytes(List<?> frame, Function<Cid, List<?>> nodes, String where) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        appendFrame(frame, nodes, where, out);
        return out.toByteArray();
    }

    private static void appendFrame(
            List<?> frame, Function<Cid, List<?>> nodes, String where, ByteArrayOutputStream out) {
        if (!(frame.get(4) instanceof byte[] data)) {
            throw new LakesException(where + ": a DataFrame has no data bytes");
        }
        out.writeBytes(data);
        if (frame.size() > 5 && frame.get(5) instanceof List<?> next) {
            for (Object c : next) {
                appendFrame(require(nodes, (Cid) c, DATA_FRAME, where), nodes, where, out);
            }
        }
    }
}
