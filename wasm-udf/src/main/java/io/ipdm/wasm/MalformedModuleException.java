package io.ipdm.wasm;

/** The bytes are not a well-formed WebAssembly binary. */
public class MalformedModuleException extends WasmException {
    private static final long serialVersionUID = 1L;

    public MalformedModuleException(String message) {
        super(message);
    }

    public MalformedModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
