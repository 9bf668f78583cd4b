package io.ipdm.wasm;

/** A well-formed module that breaks the IPDM ABI (descriptor, exports, memory limits). */
public class InvalidModuleException extends WasmException {
    private static final long serialVersionUID = 1L;

    public InvalidModuleException(String message) {
        super(message);
    }

    public InvalidModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
