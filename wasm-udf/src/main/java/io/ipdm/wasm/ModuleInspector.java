package io.ipdm.wasm;

import io.ipdm.wasm.abi.AbiDescriptor;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.nio.file.Path;

/**
 * What {@code ipdm wasm check FILE} prints: the module's CID, ABI version, functions with their
 * schemas, imports, exports and memory. Loading validates the module fully (the same checks as a
 * job), so a module that passes here loads in a pipeline; a bad module throws a {@link
 * WasmException} whose message says what is wrong.
 */
public final class ModuleInspector {
    private ModuleInspector() {}

    /** Validates the module file and describes it. */
    public static String check(Path file) {
        return describe(WasmModule.load(file, SandboxLimits.DEFAULT));
    }

    /** A human-readable description of a loaded module. */
    public static String describe(WasmModule m) {
        StringBuilder sb = new StringBuilder();
        sb.append("module    ").append(m.name()).append('\n');
        sb.append("cid       ").append(m.cid()).append('\n');
        sb.append("size      ").append(m.bytes().length).append(" bytes\n");
        sb.append("abi       ")
                .append(m.descriptor().abiVersion())
                .append(" (host implements ")
                .append(AbiDescriptor.CURRENT_VERSION)
                .append(")\n");
        WasmBinary.Limits mem = m.binary().memories().get(0);
        sb.append("memory    ")
                .append(mem.min())
                .append(" pages initial, ")
                .append(mem.max() < 0 ? "no maximum" : mem.max() + " pages maximum")
                .append(" (capped at ")
                .append(m.limits().maxMemoryPages())
                .append(" by default)\n");
        sb.append("functions\n");
        for (FunctionSpec f : m.descriptor().functions().values()) {
            sb.append("  ").append(f.kind().abiName()).append(' ').append(f.name()).append('\n');
            sb.append("    input   ").append(columns(f.input())).append('\n');
            if (f.kind() != FunctionKind.FILTER) {
                sb.append("    output  ").append(columns(f.output())).append('\n');
            }
            sb.append("    exports ").append(String.join(", ", f.requiredExports())).append('\n');
        }
        sb.append("imports  ");
        if (m.imports().isEmpty()) {
            sb.append(" (none)");
        }
        for (WasmBinary.Import i : m.imports()) {
            sb.append(' ').append(i.module()).append('.').append(i.name());
        }
        sb.append('\n');
        sb.append("exports  ");
        for (WasmBinary.Export e : m.exports()) {
            sb.append(' ').append(e.name()).append(kind(e.kind()));
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String columns(io.ipdm.wasm.abi.BatchSchema s) {
        StringBuilder sb = new StringBuilder();
        for (Column c : s.columns()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String kind(int k) {
        return switch (k) {
            case 0 -> "()";
            case 1 -> " (table)";
            case 2 -> " (memory)";
            default -> " (global)";
        };
    }
}
