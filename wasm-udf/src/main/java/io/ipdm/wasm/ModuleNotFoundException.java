package io.ipdm.wasm;

import java.io.Serial;

/** A module referenced by CID is not in the module store. */
public final class ModuleNotFoundException extends WasmException {
    @Serial private static final long serialVersionUID = 1L;

    public ModuleNotFoundException(String message) {
        super(message);
    }
}
