package io.ipdm.lakes.verify;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Merkle inclusion proof of one row in a window root ({@link
 * io.ipdm.lakes.window.WindowArchive}): the root block and the one chunk block holding the row.
 * Checking it needs nothing else: the root block must hash to the root CID, the chunk's CID must be
 * one of the root's {@code chunks} and the chunk must hash to it, and the row must be one of the
 * chunk's rows. A row is given as a map of the window's field names to values (as {@code --row}
 * JSON); numbers compare by value, so {@code 5} matches a stored {@code 5.0}.
 *
 * @param root the window root
 * @param blocks the root block, then the chunk block
 */
public record RowProof(Cid root, List<Block> blocks) {
    public RowProof {
        blocks = List.copyOf(blocks);
    }

    /** Where the row was found. */
    public record Found(int chunk, int index, List<String> fields) {}

    /** Parses a row given as a JSON object ({@code --row}). */
    public static Map<String, Object> parseRow(String json) {
        Object v;
        try {
            v = DagJson.decode(json);
        } catch (CodecException e) {
            throw new AttestationException("row is not JSON: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new AttestationException("row must be a JSON object of field names to values");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put((String) k, x));
        return out;
    }

    /**
     * Builds the proof from a block source (a lake, a node's read path).
     *
     * @throws AttestationException when a block is missing or the row is not in the window (naming
     *     the nearest row's differing fields)
     */
    public static RowProof prove(BlockSource source, Cid root, Map<String, Object> row) {
        Block r = source.get(root);
        if (r == null) {
            throw new AttestationException("window root " + root + " not found");
        }
        Root parsed = parseRoot(root, r);
        List<Object> want = ordered(row, parsed.fields);
        String nearest = null;
        int nearestDiff = Integer.MAX_VALUE;
        for (int c = 0; c < parsed.chunks.size(); c++) {
            Block chunk = source.get(parsed.chunks.get(c));
            if (chunk == null) {
                throw new AttestationException(
                        "chunk " + parsed.chunks.get(c) + " of window " + root + " not found");
            }
            List<List<Object>> rows = rows(chunk);
            for (List<Object> have : rows) {
                List<String> diff = diff(want, have, parsed.fields);
                if (diff.isEmpty()) {
                    return new RowProof(root, List.of(r, chunk));
                }
                if (diff.size() < nearestDiff) {
                    nearestDiff = diff.size();
                    nearest = String.join(", ", diff);
                }
            }
        }
        throw new AttestationException(
                "row is not in window "
                        + root
                        + (nearest == null
                                ? " (the window has no rows)"
                                : "; the nearest row differs in " + nearest));
    }

    /**
     * Checks this proof for {@code row}.
     *
     * @throws AttestationException saying which check failed
     */
    public Found check(Map<String, Object> row) {
        if (blocks.size() != 2) {
            throw new AttestationException(
                    "a row proof is the root block and one chunk block, got "
                            + blocks.size()
                            + " blocks");
        }
        Block r = blocks.get(0);
        if (!r.cid().equals(root) || !root.verifies(r.data())) {
            throw new AttestationException("proof's first block does not hash to the root " + root);
        }
        Root parsed = parseRoot(root, r);
        Block chunk = blocks.get(1);
        int c = parsed.chunks.indexOf(chunk.cid());
        if (c < 0) {
            throw new AttestationException(
                    "proof's chunk " + chunk.cid() + " is not one of root " + root + "'s chunks");
        }
        if (!chunk.cid().verifies(chunk.data())) {
            throw new AttestationException("proof's chunk bytes do not hash to " + chunk.cid());
        }
        List<Object> want = ordered(row, parsed.fields);
        List<List<Object>> rows = rows(chunk);
        String nearest = null;
        int nearestDiff = Integer.MAX_VALUE;
        for (int i = 0; i < rows.size(); i++) {
            List<String> diff = diff(want, rows.get(i), parsed.fields);
            if (diff.isEmpty()) {
                return new Found(c, i, parsed.fields);
            }
            if (diff.size() < nearestDiff) {
                nearestDiff = diff.size();
                nearest = String.join(", ", diff);
            }
        }
        throw new AttestationException(
                "row is not in chunk "
                        + chunk.cid()
                        + " of window "
                        + root
                        + (nearest == null ? "" : "; the nearest row differs in " + nearest));
    }

    private record Root(List<String> fields, List<Cid> chunks) {}

    private static Root parseRoot(Cid root, Block r) {
        Object v;
        try {
            v = DagCbor.decode(r.data());
        } catch (CodecException e) {
            throw new AttestationException(root + " is not a window root: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m)
                || !(m.get("fields") instanceof List<?> fields)
                || !(m.get("chunks") instanceof List<?> chunks)) {
            throw new AttestationException(
                    root + " is not a window root (needs fields and chunks)");
        }
        List<String> f = new ArrayList<>();
        for (Object x : fields) {
            f.add(String.valueOf(x));
        }
        List<Cid> c = new ArrayList<>();
        for (Object x : chunks) {
            if (!(x instanceof Cid cid)) {
                throw new AttestationException(root + ": chunk entry " + x + " is not a CID link");
            }
            c.add(cid);
        }
        return new Root(f, c);
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> rows(Block chunk) {
        Object v;
        try {
            v = DagCbor.decode(chunk.data());
        } catch (CodecException e) {
            throw new AttestationException(
                    "chunk " + chunk.cid() + " is not dag-cbor: " + e.getMessage());
        }
        if (!(v instanceof List<?> l)) {
            throw new AttestationException("chunk " + chunk.cid() + " is not a list of rows");
        }
        List<List<Object>> out = new ArrayList<>();
        for (Object row : l) {
            if (!(row instanceof List<?>)) {
                throw new AttestationException("chunk " + chunk.cid() + " holds a non-row " + row);
            }
            out.add((List<Object>) row);
        }
        return out;
    }

    private static List<Object> ordered(Map<String, Object> row, List<String> fields) {
        List<String> unknown = new ArrayList<>(row.keySet());
        unknown.removeAll(fields);
        if (!unknown.isEmpty()) {
            throw new AttestationException(
                    "row has fields "
                            + unknown
                            + " the window does not have; its fields: "
                            + fields);
        }
        List<String> missing = new ArrayList<>(fields);
        missing.removeAll(row.keySet());
        if (!missing.isEmpty()) {
            throw new AttestationException(
                    "row lacks fields " + missing + "; give every field of the window: " + fields);
        }
        List<Object> out = new ArrayList<>();
        for (String f : fields) {
            out.add(row.get(f));
        }
        return out;
    }

    private static List<String> diff(List<Object> want, List<Object> have, List<String> fields) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            Object h = i < have.size() ? have.get(i) : null;
            if (!same(want.get(i), h)) {
                out.add(
                        "'"
                                + fields.get(i)
                                + "' (row says "
                                + show(want.get(i))
                                + ", window has "
                                + show(h)
                                + ")");
            }
        }
        return out;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if ((x instanceof Double || y instanceof Double)) {
                return x.doubleValue() == y.doubleValue();
            }
            return new java.math.BigInteger(x.toString())
                    .equals(new java.math.BigInteger(y.toString()));
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static String show(Object v) {
        String s =
                v instanceof byte[] b
                        ? "bytes[" + b.length + "]"
                        : v instanceof String t ? "\"" + t + "\"" : String.valueOf(v);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
