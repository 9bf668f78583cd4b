package io.ipdm.lakes.window;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A closed window's rows as blocks, canonically: each row is a dag-cbor list of its values; rows
 * are sorted by their encoding (so arrival order does not change the result), cut into chunks of
 * {@link #CHUNK_ROWS}, and a root {@code {window_start, window_end, fields, rows, chunks: [CID]}}
 * names them. The same rows always give the same root CID, which is what lets nodes compare and
 * attest window results, and makes re-writing a window after a failure a no-op.
 */
public final class WindowArchive {
    public static final int CHUNK_ROWS = 1024;

    /** A window read back. */
    public record Window(
            long windowStart, long windowEnd, List<String> fields, List<List<Object>> rows) {}

    private WindowArchive() {}

    /** The blocks for one window, root last. Values must be IPLD data model kinds. */
    public static List<Block> encode(
            long windowStart, long windowEnd, List<String> fields, List<List<Object>> rows) {
        List<byte[]> encoded = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            if (row.size() != fields.size()) {
                throw new LakesException(
                        "window row has "
                                + row.size()
                                + " values for "
                                + fields.size()
                                + " fields "
                                + fields);
            }
            encoded.add(DagCbor.encode(row));
        }
        encoded.sort(Arrays::compareUnsigned);
        List<Block> blocks = new ArrayList<>();
        List<Cid> chunks = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i += CHUNK_ROWS) {
            List<byte[]> part = encoded.subList(i, Math.min(encoded.size(), i + CHUNK_ROWS));
            Block chunk = Block.of(Multicodec.DAG_CBOR, concatList(part));
            blocks.add(chunk);
            chunks.add(chunk.cid());
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("window_start", windowStart);
        root.put("window_end", windowEnd);
        root.put("fields", new ArrayList<Object>(fields));
        root.put("rows", (long) rows.size());
        root.put("chunks", new ArrayList<Object>(chunks));
        blocks.add(Block.of(Multicodec.DAG_CBOR, DagCbor.encode(root)));
        return blocks;
    }

    /** A dag-cbor list whose items are already-encoded values. */
    private static byte[] concatList(List<byte[]> items) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] head =
                DagCbor.encode(new ArrayList<>(java.util.Collections.nCopies(items.size(), 0L)));
        // the head of an n-item list is the encoding of n zeros minus the n zero bytes
        out.write(head, 0, head.length - items.size());
        items.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    public static Window read(BlockSource source, Cid root) {
        Block r = source.get(root);
        if (r == null) {
            throw new LakesException("window root " + root + " not found");
        }
        if (!(DagCbor.decode(r.data()) instanceof Map<?, ?> m)
                || !(m.get("fields") instanceof List<?> fields)
                || !(m.get("chunks") instanceof List<?> chunks)
                || !(m.get("window_start") instanceof Long start)
                || !(m.get("window_end") instanceof Long end)) {
            throw new LakesException(
                    root
                            + " is not a window root (needs window_start, window_end, fields, chunks)");
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Object c : chunks) {
            Block chunk = source.get((Cid) c);
            if (chunk == null) {
                throw new LakesException("chunk " + c + " of window " + root + " not found");
            }
            for (Object row : (List<Object>) DagCbor.decode(chunk.data())) {
                rows.add((List<Object>) row);
            }
        }
        return new Window(start, end, (List<String>) fields, rows);
    }
}
