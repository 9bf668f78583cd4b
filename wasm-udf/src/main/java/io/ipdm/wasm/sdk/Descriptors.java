package io.ipdm.wasm.sdk;

import io.ipdm.wasm.abi.AbiDescriptor;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.FunctionSpec;

/** Writes an ABI descriptor as the JSON of docs/wasm-abi.md, one column a line. */
final class Descriptors {
    private Descriptors() {}

    static String json(AbiDescriptor d) {
        StringBuilder b = new StringBuilder("{\"abi\": ").append(d.abiVersion());
        b.append(", \"functions\": [");
        boolean first = true;
        for (FunctionSpec f : d.functions().values()) {
            b.append(first ? "\n" : ",\n");
            first = false;
            b.append("  {\"name\": ").append(quote(f.name()));
            b.append(", \"kind\": ").append(quote(f.kind().abiName()));
            b.append(",\n   \"input\": ").append(columns(f.input()));
            if (!f.output().columns().isEmpty()) {
                b.append(",\n   \"output\": ").append(columns(f.output()));
            }
            b.append('}');
        }
        return b.append("]}\n").toString();
    }

    private static String columns(BatchSchema s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.size(); i++) {
            Column c = s.column(i);
            b.append(i == 0 ? "" : ",\n             ");
            b.append("{\"name\": ").append(quote(c.name()));
            b.append(", \"type\": ").append(quote(c.type().toString()));
            if (!c.nullable()) {
                b.append(", \"nullable\": false");
            }
            b.append('}');
        }
        return b.append(']').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
