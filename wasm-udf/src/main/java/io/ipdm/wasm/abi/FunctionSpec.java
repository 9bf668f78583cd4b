package io.ipdm.wasm.abi;

import java.util.List;

/**
 * A function a module declares: its name (the export, or the export prefix of an aggregate), kind
 * and schemas. Filters have no output schema (they keep input rows).
 */
public record FunctionSpec(String name, FunctionKind kind, BatchSchema input, BatchSchema output) {

    /** The exports this function needs, each a function {@code (i32...) -> i32} or {@code ()}. */
    public List<String> requiredExports() {
        if (kind == FunctionKind.AGGREGATE) {
            return List.of(name + "_create", name + "_add", name + "_merge", name + "_result");
        }
        return List.of(name);
    }

    @Override
    public String toString() {
        return kind.abiName()
                + " "
                + name
                + " "
                + input
                + (kind == FunctionKind.FILTER ? "" : " -> " + output);
    }
}
