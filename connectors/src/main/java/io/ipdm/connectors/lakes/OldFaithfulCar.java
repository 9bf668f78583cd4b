package io.ipdm.connectors.lakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.connectors.lakes.faithful.TransactionMeta;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;

/**
 * Reads an Old Faithful epoch CAR (Solana history as stored on Filecoin) into the rows the getBlock
 * source produces. Each Block node (kind 2) is turned into the getBlock JSON it stands for and
 * decoded by the Solana connector's own {@link GetBlockDecoder}, so both sources share one decoder
 * and one row schema. Old Faithful writes a block's entries (kind 1) and transactions (kind 0)
 * before the block, so only one block's nodes are held at a time.
 *
 * <p>Transaction metadata (zstd, protobuf or bincode) becomes the getBlock {@code meta} via {@link
 * TransactionMeta}; an empty metadata frame (the ledger had no status) gives {@code meta: null}, as
 * getBlock would, so fee, success, error and compute units are null for it. The previous blockhash
 * of a block whose parent is not in the same CAR is the all-zero hash; block rewards are not read.
 */
public final class OldFaithfulCar {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO_HASH = "11111111111111111111111111111111";
    private static final int KIND_TRANSACTION = 0;
    private static final int KIND_ENTRY = 1;
    private static final int KIND_BLOCK = 2;

    private OldFaithfulCar() {}

    /** All rows of {@code table} in the CAR, block by block in file order. */
    public static List<Row> rows(InputStream car, String source, SolanaTable table)
            throws IOException {
        List<Row> out = new ArrayList<>();
        Map<Cid, List<?>> pending = new HashMap<>();
        Map<Long, String> blockhashes = new HashMap<>();
        try (CarReader r = CarReader.open(car)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                if (!(DagCbor.decode(s.block().data()) instanceof List<?> node) || node.isEmpty()) {
                    throw new LakesException(
                            source + ": block " + s.block().cid() + " is not an Old Faithful node");
                }
                long kind = (Long) node.get(0);
                if (kind == KIND_BLOCK) {
                    SolanaBlock block = block(node, pending, blockhashes, source);
                    out.addAll(SolanaRows.rows(block, table));
                    pending.clear();
                } else if (kind == KIND_TRANSACTION || kind == KIND_ENTRY) {
                    pending.put(s.block().cid(), node);
                } else {
                    // subsets (3), epochs (4), rewards and data frames are only linked, never rows
                    pending.put(s.block().cid(), node);
                }
            }
        }
        return out;
    }

    private static SolanaBlock block(
            List<?> node, Map<Cid, List<?>> pending, Map<Long, String> hashes, String source) {
        long slot = (Long) node.get(1);
        List<?> entries = (List<?>) node.get(3);
        List<?> meta = (List<?>) node.get(4);
        long parent = (Long) meta.get(0);
        ObjectNode result = JSON.createObjectNode();
        ArrayNode txs = result.putArray("transactions");
        byte[] lastHash = null;
        for (Object e : entries) {
            List<?> entry = require(pending, (Cid) e, KIND_ENTRY, slot);
            lastHash = (byte[]) entry.get(2);
            for (Object t : (List<?>) entry.get(3)) {
                List<?> tx = require(pending, (Cid) t, KIND_TRANSACTION, slot);
                ObjectNode item = txs.addObject();
                ArrayNode wire = item.putArray("transaction");
                wire.add(
                        Base64.getEncoder()
                                .encodeToString(frameBytes((List<?>) tx.get(1), pending)));
                wire.add("base64");
                ObjectNode txMeta =
                        TransactionMeta.decode(frameBytes((List<?>) tx.get(2), pending), slot);
                if (txMeta == null) {
                    item.putNull("meta");
                } else {
                    item.set("meta", txMeta);
                }
            }
        }
        if (lastHash == null) {
            throw new LakesException(source + ": block at slot " + slot + " has no entries");
        }
        String blockhash = Base58.encode(lastHash);
        hashes.put(slot, blockhash);
        result.put("blockhash", blockhash);
        result.put("previousBlockhash", hashes.getOrDefault(parent, ZERO_HASH));
        result.put("parentSlot", parent);
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
        result.putArray("rewards");
        return GetBlockDecoder.decode(result, source + "#slot-" + slot, slot);
    }

    private static List<?> require(Map<Cid, List<?>> pending, Cid cid, int kind, long slot) {
        List<?> n = pending.get(cid);
        if (n == null || (Long) n.get(0) != kind) {
            throw new LakesException(
                    "block at slot "
                            + slot
                            + " links "
                            + cid
                            + " which is not a "
                            + (kind == KIND_ENTRY ? "entry" : "transaction")
                            + " node earlier in the CAR");
        }
        return n;
    }

    /**
     * A DataFrame {@code [kind, hash, index, total, data, next]}; continuation frames are appended.
     */
    private static byte[] frameBytes(List<?> frame, Map<Cid, List<?>> pending) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((byte[]) frame.get(4));
        if (frame.size() > 5 && frame.get(5) instanceof List<?> next) {
            for (Object c : next) {
                List<?> more = pending.get((Cid) c);
                if (more == null) {
                    throw new LakesException("data frame " + c + " is missing from the CAR");
                }
                out.writeBytes(frameBytes(more, pending));
            }
        }
        return out.toByteArray();
    }
}
