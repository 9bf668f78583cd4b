package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * BENCHMARK BASELINE ONLY (test scope): the Old Faithful decoder as it was before the direct
 * decoder ({@link FaithfulBlockDecoder}) replaced it, kept so {@code ArchiveDecodeBench} measures
 * old and new in the same run. Not on any read path. A Block node with the nodes it links (read as
 * dag-cbor lists, {@link FaithfulNodes}) is turned into the getBlock JSON it stands for and decoded
 * by {@link GetBlockDecoder}; the metadata is inflated by the pure-Java zstd stream and rebuilt as
 * JSON ({@link OldTransactionMeta}). Only that rebuild is kept here: node layouts, the bincode
 * reader and the error table are the main classes'.
 */
public final class OldFaithfulNodes {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OldFaithfulNodes() {}

    /**
     * Decodes a Block node; {@code nodes} resolves the entries, transactions, data frames and
     * rewards it links (null when absent); {@code previousBlockhash} is the parent's blockhash or
     * {@link FaithfulNodes#ZERO_HASH} when the parent is not known.
     */
    public static SolanaBlock decodeBlock(
            List<?> node, Function<Cid, List<?>> nodes, String previousBlockhash, String source) {
        long slot;
        List<?> meta;
        List<?> entries;
        try {
            slot = FaithfulNodes.slot(node);
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
            List<?> entry = require(nodes, (Cid) e, FaithfulNodes.ENTRY, where);
            blockhash = FaithfulNodes.entryHash(entry);
            for (Object t : (List<?>) entry.get(3)) {
                List<?> tx = require(nodes, (Cid) t, FaithfulNodes.TRANSACTION, where);
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
        Cid rewards = FaithfulNodes.rewards(node);
        if (rewards == null) {
            result.putArray("rewards");
        } else {
            List<?> r = require(nodes, rewards, FaithfulNodes.REWARDS, where);
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
                    where
                            + ": the "
                            + FaithfulNodes.kindName(kind)
                            + " node "
                            + cid
                            + " it links is missing");
        }
        if (FaithfulNodes.kind(n) != kind) {
            throw new LakesException(
                    where
                            + ": "
                            + cid
                            + " is a "
                            + FaithfulNodes.kindName(FaithfulNodes.kind(n))
                            + " node where a "
                            + FaithfulNodes.kindName(kind)
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
                appendFrame(
                        require(nodes, (Cid) c, FaithfulNodes.DATA_FRAME, where),
                        nodes,
                        where,
                        out);
            }
        }
    }
}
