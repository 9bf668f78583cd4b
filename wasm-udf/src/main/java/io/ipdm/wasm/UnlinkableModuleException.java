package io.ipdm.wasm;

/** The module imports something outside the `ipdm` namespace (WASI clocks, random, files, ...). */
public class UnlinkableModuleException extends WasmException {
    private static final long serialVersionUID = 1L;

    public UnlinkableModuleException(String message) {
        super(message);
    }

    public UnlinkableModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
