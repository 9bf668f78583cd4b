package io.ipdm.wasm.sdk;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The languages {@code ipdm wasm init} scaffolds and {@code ipdm wasm build} compiles. */
public enum Language {
    RUST("rust"),
    ASSEMBLYSCRIPT("assemblyscript"),
    C("c");

    private final String cliName;

    Language(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The language named {@code s} (rust, assemblyscript or as, c). */
    public static Language of(String s) {
        String n = s.toLowerCase(java.util.Locale.ROOT);
        if (n.equals("as")) {
            return ASSEMBLYSCRIPT;
        }
        for (Language l : values()) {
            if (l.cliName.equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException(
                "unknown language '"
                        + s
                        + "'; expected one of "
                        + Arrays.stream(values())
                                .map(Language::cliName)
                                .collect(Collectors.joining(", ")));
    }
}
