package io.ipdm.wasm;

import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import io.ipdm.wasm.abi.SeededRows;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code ipdm wasm test}: runs every function of a module on seeded rows of its declared input
 * schema, twice, each time in a fresh instance, and compares the output bytes. The host checks
 * every answer against the declared output schema while reading it, so a run that completes also
 * matched its schema. Output bytes are the values as the host read them (floats by their raw bits,
 * so NaN payloads count), hashed with SHA-256; a filter's are the kept row numbers, an aggregate's
 * the state blob after each batch and the result row.
 */
public final class ModuleCheck {
    /** Rows per batch: the pipeline default. */
    public static final int BATCH = 4096;

    /** One function's outcome: {@code ok} when both runs completed with identical bytes. */
    public record FunctionReport(String function, boolean ok, String line) {}

    private ModuleCheck() {}

    /** Checks every function of {@code module} on {@code rows} rows drawn from {@code seed}. */
    public static List<FunctionReport> run(
            WasmModule module, int rows, long seed, BufferAllocator allocator) {
        List<FunctionReport> out = new ArrayList<>();
        for (FunctionSpec f : module.descriptor().functions().values()) {
            out.add(check(module, f, rows, seed, allocator));
        }
        return out;
    }

    private static FunctionReport check(
            WasmModule module, FunctionSpec f, int rows, long seed, BufferAllocator allocator) {
        String what = f.kind().abiName() + " " + f.name();
        List<Object[]> data = SeededRows.generate(f.input(), rows, seed);
        String[] digests = new String[2];
        long[] produced = new long[1];
        for (int run = 0; run < 2; run++) {
            try {
                digests[run] = once(module, f, data, allocator, produced);
            } catch (WasmException e) {
                return new FunctionReport(
                        f.name(),
                        false,
                        what + ": FAILED on run " + (run + 1) + ": " + e.getMessage());
            }
        }
        int batches = Math.max(1, (rows + BATCH - 1) / BATCH);
        String shape =
                what
                        + ": "
                        + rows
                        + " seeded rows in "
                        + batches
                        + (batches == 1 ? " batch" : " batches")
                        + " -> "
                        + produced[0]
                        + (f.kind() == FunctionKind.FILTER ? " kept" : " rows")
                        + ", output schema as declared";
        if (!digests[0].equals(digests[1])) {
            return new FunctionReport(
                    f.name(),
                    false,
                    shape
                            + "; NOT DETERMINISTIC: run 1 sha256 "
                            + digests[0]
                            + ", run 2 sha256 "
                            + digests[1]);
        }
        return new FunctionReport(
                f.name(), true, shape + "; 2 runs, identical bytes (sha256 " + digests[0] + ")");
    }

    private static String once(
            WasmModule module,
            FunctionSpec f,
            List<Object[]> data,
            BufferAllocator allocator,
            long[] produced) {
        MessageDigest md = sha256();
        produced[0] = 0;
        try (ModuleSession s = new ModuleSession(module, allocator);
                VectorSchemaRoot in = s.newInput(f.name())) {
            byte[] state = f.kind() == FunctionKind.AGGREGATE ? s.aggregateCreate(f.name()) : null;
            for (int from = 0; from < Math.max(data.size(), 1); from += BATCH) {
                fill(in, f.input(), data.subList(from, Math.min(data.size(), from + BATCH)));
                switch (f.kind()) {
                    case MAP, FLAT_MAP -> {
                        VectorSchemaRoot o = s.map(f.name(), in);
                        produced[0] += o.getRowCount();
                        digest(md, o, f.output());
                    }
                    case FILTER -> {
                        int[] keep = s.filter(f.name(), in);
                        produced[0] += keep.length;
                        for (int k : keep) {
                            md.update(ByteBuffer.allocate(4).putInt(from + k).array());
                        }
                    }
                    case AGGREGATE -> {
                        state = s.aggregateAdd(f.name(), state, in);
                        md.update(state);
                    }
                }
            }
            if (state != null) {
                VectorSchemaRoot o = s.aggregateResult(f.name(), state);
                produced[0] = o.getRowCount();
                digest(md, o, f.output());
            }
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    private static void fill(VectorSchemaRoot root, BatchSchema schema, List<Object[]> rows) {
        root.allocateNew();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < schema.size(); c++) {
                ArrowValues.set(root.getVector(c), schema.column(c).type(), r, rows.get(r)[c]);
            }
        }
        root.setRowCount(rows.size());
    }

    private static void digest(MessageDigest md, VectorSchemaRoot root, BatchSchema schema) {
        ByteBuffer b = ByteBuffer.allocate(9);
        for (int c = 0; c < schema.size(); c++) {
            Column col = schema.column(c);
            for (int r = 0; r < root.getRowCount(); r++) {
                Object v = ArrowValues.get(root.getVector(c), col.type(), r);
                b.clear();
                if (v == null) {
                    md.update((byte) 0);
                    continue;
                }
                md.update((byte) 1);
                switch (v) {
                    case Double d ->
                            md.update(b.putLong(Double.doubleToRawLongBits(d)).array(), 0, 8);
                    case Long l -> md.update(b.putLong(l).array(), 0, 8);
                    case Integer i -> md.update(b.putInt(i).array(), 0, 4);
                    case Boolean z -> md.update((byte) (z ? 1 : 0));
                    case Instant t -> md.update(b.putLong(t.toEpochMilli()).array(), 0, 8);
                    case byte[] bytes -> {
                        md.update(b.putInt(bytes.length).array(), 0, 4);
                        md.update(bytes);
                    }
                    case String str -> {
                        byte[] bytes = str.getBytes(StandardCharsets.UTF_8);
                        md.update(b.putInt(bytes.length).array(), 0, 4);
                        md.update(bytes);
                    }
                    case List<?> list -> {
                        md.update(b.putInt(list.size()).array(), 0, 4);
                        for (Object item : list) {
                            byte[] bytes = String.valueOf(item).getBytes(StandardCharsets.UTF_8);
                            ByteBuffer n = ByteBuffer.allocate(4).putInt(bytes.length);
                            md.update(n.array());
                            md.update(bytes);
                        }
                    }
                    default -> md.update(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
