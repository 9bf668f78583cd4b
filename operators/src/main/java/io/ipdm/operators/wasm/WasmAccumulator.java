package io.ipdm.operators.wasm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.types.Row;

/**
 * A WASM aggregate's window accumulator: the module's state blob, the CID of the module that made
 * it (a state from another module version goes through {@code NAME_restore} before use) and the
 * rows not yet folded into it (the module's input columns, in its order), so the module is called
 * once per batch rather than once per row. Kept in Flink state by {@link
 * WasmAccumulatorSerializer}. Mutable; not thread-safe.
 */
public final class WasmAccumulator {
    String moduleCid;
    byte[] state;
    final List<Row> pending;

    public WasmAccumulator(String moduleCid, byte[] state, List<Row> pending) {
        this.moduleCid = Objects.requireNonNull(moduleCid, "moduleCid");
        this.state = Objects.requireNonNull(state, "state");
        this.pending = new ArrayList<>(pending);
    }

    public String moduleCid() {
        return moduleCid;
    }

    /** The state blob (without the ABI's length prefix). */
    public byte[] state() {
        return state;
    }

    /** Rows waiting for the next {@code NAME_add}. */
    public List<Row> pending() {
        return pending;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WasmAccumulator a
                && a.moduleCid.equals(moduleCid)
                && Arrays.equals(a.state, state)
                && a.pending.equals(pending);
    }

    @Override
    public int hashCode() {
        return Objects.hash(moduleCid, Arrays.hashCode(state), pending);
    }

    @Override
    public String toString() {
        return "WasmAccumulator{"
                + moduleCid
                + ", "
                + state.length
                + " B state, "
                + pending.size()
                + " pending}";
    }
}
