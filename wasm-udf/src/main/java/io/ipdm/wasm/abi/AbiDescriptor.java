package io.ipdm.wasm.abi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.wasm.InvalidModuleException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a module declares about itself: ABI version and functions with schemas. Stored as UTF-8 JSON
 * in the custom section {@value #SECTION} (see docs/wasm-abi.md):
 *
 * <pre>
 * {"abi": 1, "functions": [{"name": "classify", "kind": "map",
 *   "input":  [{"name": "program_id", "type": "utf8"}],
 *   "output": [{"name": "family", "type": "utf8", "nullable": false}]}]}
 * </pre>
 */
public record AbiDescriptor(int abiVersion, Map<String, FunctionSpec> functions) {
    /** Name of the custom section holding the descriptor. */
    public static final String SECTION = "ipdm.abi";

    /** The ABI version this host implements. */
    public static final int CURRENT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public AbiDescriptor {
        functions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    }

    /** The declared function with this name; the error lists what the module declares. */
    public FunctionSpec function(String module, String name) {
        FunctionSpec f = functions.get(name);
        if (f == null) {
            throw new InvalidModuleException(
                    "module '"
                            + module
                            + "' declares no function '"
                            + name
                            + "'; it declares "
                            + functions.keySet());
        }
        return f;
    }

    /** Parses and checks a descriptor; errors name the module and the bad key. */
    public static AbiDescriptor parse(String module, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw invalid(module, "is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(module, "must be a JSON object");
        }
        keys(module, "descriptor", root, Set.of("abi", "functions"));
        JsonNode abi = root.get("abi");
        if (abi == null || !abi.isInt()) {
            throw invalid(
                    module, "needs an integer \"abi\" (the ABI version, " + CURRENT_VERSION + ")");
        }
        if (abi.intValue() != CURRENT_VERSION) {
            throw new InvalidModuleException(
                    "module '"
                            + module
                            + "' was built for IPDM ABI version "
                            + abi.intValue()
                            + " but this host implements version "
                            + CURRENT_VERSION
                            + "; rebuild it with the current SDK");
        }
        JsonNode fs = root.get("functions");
        if (fs == null || !fs.isArray() || fs.isEmpty()) {
            throw invalid(module, "needs a non-empty \"functions\" array");
        }
        Map<String, FunctionSpec> out = new LinkedHashMap<>();
        for (JsonNode f : fs) {
            FunctionSpec spec = function(module, f);
            if (out.put(spec.name(), spec) != null) {
                throw invalid(module, "declares function '" + spec.name() + "' twice");
            }
        }
        return new AbiDescriptor(abi.intValue(), out);
    }

    private static FunctionSpec function(String module, JsonNode f) {
        if (!f.isObject()) {
            throw invalid(module, "has a function entry that is not an object: " + f);
        }
        String name = text(module, "function", f, "name");
        String where = "function '" + name + "'";
        keys(module, where, f, Set.of("name", "kind", "input", "output"));
        FunctionKind kind;
        try {
            kind = FunctionKind.parse(text(module, where, f, "kind"));
        } catch (IllegalArgumentException e) {
            throw invalid(module, where + ": " + e.getMessage());
        }
        BatchSchema input = schema(module, where + " input", f.get("input"));
        BatchSchema output;
        if (kind == FunctionKind.FILTER) {
            if (f.has("output")) {
                throw invalid(
                        module, where + " is a filter and keeps input rows: remove \"output\"");
            }
            output = input;
        } else {
            output = schema(module, where + " output", f.get("output"));
        }
        return new FunctionSpec(name, kind, input, output);
    }

    private static BatchSchema schema(String module, String where, JsonNode cols) {
        if (cols == null || !cols.isArray() || cols.isEmpty()) {
            throw invalid(module, where + " needs a non-empty array of columns");
        }
        List<Column> out = new ArrayList<>();
        for (JsonNode c : cols) {
            if (!c.isObject()) {
                throw invalid(module, where + " has a column that is not an object: " + c);
            }
            String name = text(module, where + " column", c, "name");
            String cw = where + " column '" + name + "'";
            keys(module, cw, c, Set.of("name", "type", "nullable"));
            ColumnType type;
            try {
                type = ColumnType.parse(text(module, cw, c, "type"));
            } catch (IllegalArgumentException e) {
                throw invalid(module, cw + ": " + e.getMessage());
            }
            JsonNode nullable = c.get("nullable");
            if (nullable != null && !nullable.isBoolean()) {
                throw invalid(module, cw + ": \"nullable\" must be true or false");
            }
            out.add(new Column(name, type, nullable == null || nullable.booleanValue()));
        }
        return new BatchSchema(out);
    }

    private static String text(String module, String where, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw invalid(module, where + " needs a string \"" + key + "\"");
        }
        return v.textValue();
    }

    private static void keys(String module, String where, JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw invalid(
                        module,
                        where + " has unknown key \"" + k + "\"; allowed: " + sorted(allowed));
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static InvalidModuleException invalid(String module, String what) {
        return new InvalidModuleException("module '" + module + "' ABI descriptor " + what);
    }
}
