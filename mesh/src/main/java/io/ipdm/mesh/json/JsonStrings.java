package io.ipdm.mesh.json;

/**
 * JSON string literals for the hand-written JSON of the node's status and admin answers (mesh and
 * lava-lakes write JSON without a JSON library): the one escaping every such writer uses.
 */
public final class JsonStrings {
    private JsonStrings() {}

    /**
     * Appends {@code v} to {@code sb} as a JSON string (RFC 8259 section 7: {@code "} and {@code \}
     * escaped, control characters as {@code \}{@code uXXXX}), or {@code null} when {@code v} is
     * null.
     *
     * @return {@code sb}
     */
    public static StringBuilder quote(StringBuilder sb, String v) {
        if (v == null) {
            return sb.append("null");
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /** {@code v} as a JSON string literal. */
    public static String quote(String v) {
        return quote(new StringBuilder(), v).toString();
    }
}
