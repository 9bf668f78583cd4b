package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.JsonNode;
import io.airlift.compress.zstd.ZstdCompressor;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Writes an Old Faithful style epoch CAR (Transaction, Entry and Block nodes as the {@code
 * ledger.ipldsch} schema lays them out) around the transactions of a real getBlock response, with
 * each transaction's metadata encoded by {@code metaEncoder} and zstd-compressed.
 */
final class FaithfulCars {
    private FaithfulCars() {}

    static byte[] zstd(byte[] raw) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] out = new byte[c.maxCompressedLength(raw.length)];
        int n = c.compress(raw, 0, raw.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }

    static byte[] car(JsonNode getBlock, long slot, Function<JsonNode, byte[]> metaEncoder)
            throws IOException {
        List<Block> blocks = new ArrayList<>();
        List<Object> txCids = new ArrayList<>();
        int index = 0;
        for (JsonNode item : getBlock.get("transactions")) {
            byte[] wire = Base64.getDecoder().decode(item.get("transaction").get(0).asText());
            byte[] meta = zstd(metaEncoder.apply(item.get("meta")));
            Block tx = node(List.of(0L, frame(wire), frame(meta), slot, (long) index++));
            blocks.add(tx);
            txCids.add(tx.cid());
        }
        byte[] hash = Base58.decode(getBlock.get("blockhash").asText());
        Block entry = node(List.of(1L, 12_500L, hash, txCids));
        blocks.add(entry);
        List<Object> meta =
                List.of(
                        getBlock.get("parentSlot").asLong(),
                        getBlock.get("blockTime").asLong(),
                        getBlock.get("blockHeight").asLong());
        blocks.add(node(List.of(2L, slot, List.of(), List.of(entry.cid()), meta)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CarWriter w = new CarWriter(out, List.of(blocks.get(blocks.size() - 1).cid()));
        for (Block b : blocks) {
            w.write(b);
        }
        return out.toByteArray();
    }

    private static List<Object> frame(byte[] data) {
        return Arrays.asList(6L, null, null, null, data);
    }

    private static Block node(List<Object> fields) {
        byte[] bytes = DagCbor.encode(fields);
        return new Block(Cid.sha256(Multicodec.DAG_CBOR, bytes), bytes);
    }
}
