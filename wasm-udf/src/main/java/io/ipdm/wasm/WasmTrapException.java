package io.ipdm.wasm;

/** The guest trapped (unreachable, out-of-bounds, {@code ipdm.abort}) or returned an error code. */
public class WasmTrapException extends WasmException {
    private static final long serialVersionUID = 1L;

    public WasmTrapException(String message) {
        super(message);
    }

    public WasmTrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
