package io.ipdm.wasm.sdk;

import java.util.Locale;
import java.util.Set;

/** Identifiers for generated code from column and module names. */
final class Names {
    private static final Set<String> RESERVED =
            Set.of(
                    // Rust
                    "as",
                    "break",
                    "const",
                    "continue",
                    "crate",
                    "else",
                    "enum",
                    "extern",
                    "false",
                    "fn",
                    "for",
                    "if",
                    "impl",
                    "in",
                    "let",
                    "loop",
                    "match",
                    "mod",
                    "move",
                    "mut",
                    "pub",
                    "ref",
                    "return",
                    "self",
                    "static",
                    "struct",
                    "super",
                    "trait",
                    "true",
                    "type",
                    "unsafe",
                    "use",
                    "where",
                    "while",
                    "async",
                    "await",
                    "dyn",
                    "box",
                    // C
                    "auto",
                    "case",
                    "char",
                    "default",
                    "do",
                    "double",
                    "float",
                    "goto",
                    "int",
                    "long",
                    "register",
                    "short",
                    "signed",
                    "sizeof",
                    "switch",
                    "typedef",
                    "union",
                    "unsigned",
                    "void",
                    "volatile",
                    "bool",
                    // AssemblyScript / TypeScript
                    "class",
                    "delete",
                    "export",
                    "function",
                    "import",
                    "new",
                    "null",
                    "this",
                    "var",
                    "with",
                    "yield",
                    "index",
                    "rows",
                    "row",
                    "out",
                    "finish",
                    "b",
                    "i",
                    // generated names
                    "input",
                    "output",
                    "schema",
                    "state",
                    "ipdm");

    private Names() {}

    /** snake_case identifier: lower case letters, digits and '_', not starting with a digit. */
    static String snake(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
        }
        if (b.isEmpty() || Character.isDigit(b.charAt(0))) {
            b.insert(0, 'c');
        }
        String s = b.toString();
        return RESERVED.contains(s) ? s + "_" : s;
    }

    /** camelCase identifier for AssemblyScript. */
    static String camel(String name) {
        String[] parts = snake(name).split("_+");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
            }
        }
        String s = b.toString();
        return RESERVED.contains(s) ? s + "_" : s;
    }

    /** CamelCase with a leading capital. */
    static String pascal(String name) {
        String c = camel(name);
        return Character.toUpperCase(c.charAt(0)) + c.substring(1);
    }

    /** A module name: a valid identifier in every language (checked by init). */
    static boolean validModuleName(String name) {
        return name.matches("[a-z][a-z0-9_]{0,63}") && !RESERVED.contains(name);
    }
}
