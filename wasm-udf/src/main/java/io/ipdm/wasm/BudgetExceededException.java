package io.ipdm.wasm;

/** A call ran past its time budget or the module needed more linear memory than its cap. */
public class BudgetExceededException extends WasmException {
    private static final long serialVersionUID = 1L;

    public BudgetExceededException(String message) {
        super(message);
    }

    public BudgetExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
