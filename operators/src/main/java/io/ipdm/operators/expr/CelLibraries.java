package io.ipdm.operators.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.extensions.CelExtensions;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions expressions may call beyond CEL's standard ones: CEL's string extensions ({@code
 * split}, {@code substring}, {@code indexOf}, {@code lastIndexOf}, {@code replace}, {@code
 * lowerAscii}, {@code trim}, {@code join}, ...), math ({@code math.greatest}, {@code math.least},
 * {@code math.abs}, {@code math.round}, ...), encoders ({@code base64.encode}, {@code
 * base64.decode}), lists and regex ({@code regex.extract}), and {@code json(string)}, which parses
 * JSON text (a transaction's {@code error}) into maps, lists and values: {@code
 * int(json(error).InstructionError[1].Custom)}. The same set is declared to the checker and bound
 * in the runtime.
 */
final class CelLibraries {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_FUNCTION = "json";

    private CelLibraries() {}

    static CelCompilerBuilder declare(CelCompilerBuilder b) {
        return b.addLibraries(
                        CelExtensions.strings(),
                        CelExtensions.math(CelCompilation.OPTIONS),
                        CelExtensions.encoders(),
                        CelExtensions.lists(),
                        CelExtensions.regex())
                .addFunctionDeclarations(
                        CelFunctionDecl.newFunctionDeclaration(
                                JSON_FUNCTION,
                                CelOverloadDecl.newGlobalOverload(
                                        "json_string", SimpleType.DYN, SimpleType.STRING)));
    }

    static CelRuntimeBuilder bind(CelRuntimeBuilder b) {
        return b.addLibraries(
                        CelExtensions.strings(),
                        CelExtensions.math(CelCompilation.OPTIONS),
                        CelExtensions.encoders(),
                        CelExtensions.lists(),
                        CelExtensions.regex())
                .addFunctionBindings(
                        CelFunctionBinding.from("json_string", String.class, CelLibraries::json));
    }

    /** JSON text as CEL values: objects as maps, arrays as lists, integers as int. */
    static Object json(String text) throws CelEvaluationException {
        try {
            return value(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new CelEvaluationException(
                    "json(): not JSON: " + e.getOriginalMessage() + " in '" + cut(text) + "'", e);
        }
    }

    private static String cut(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static Object value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), value(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                l.add(value(e));
            }
            return l;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? n.asLong() : n.asDouble();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.asText();
    }
}
