package io.ipdm.wasm;

/**
 * Root of every error the WebAssembly host reports. Subclasses name the phase: {@link
 * MalformedModuleException} (not a wasm binary), {@link InvalidModuleException} (a wasm binary that
 * breaks the IPDM ABI), {@link UnlinkableModuleException} (forbidden imports), {@link
 * WasmTrapException} (the guest trapped or returned an error), {@link AbiViolationException} (the
 * guest answered with data that breaks the ABI) and {@link BudgetExceededException} (time or
 * memory). Messages name the module and, for calls, the function, the batch and the budget.
 */
public class WasmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WasmException(String message) {
        super(message);
    }

    public WasmException(String message, Throwable cause) {
        super(message, cause);
    }
}
