package io.ipdm.wasm;

/**
 * The guest returned data that breaks the ABI: wrong schema, pointers out of bounds, bad offsets.
 */
public class AbiViolationException extends WasmException {
    private static final long serialVersionUID = 1L;

    public AbiViolationException(String message) {
        super(message);
    }
}
