package io.ipdm.operators.wasm;

import io.ipdm.wasm.ModuleCid;
import io.ipdm.wasm.ModuleRegistry;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmModule;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * One call of a module function as a pipeline stage: the module (its bytes travel with the job
 * graph, so TaskManagers need no shared file system; the CID is checked on every load), the
 * function, the sandbox limits, how rows are batched and what happens on failure.
 *
 * @param batchSize rows per batch (size trigger)
 * @param maxBatchDelay longest a row waits for its batch to fill (time trigger, processing time)
 */
public record WasmStage(
        String moduleName,
        byte[] moduleBytes,
        String moduleCid,
        String function,
        SandboxLimits limits,
        int batchSize,
        Duration maxBatchDelay,
        FailurePolicy onFailure)
        implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public static final int DEFAULT_BATCH_SIZE = 4096;
    public static final Duration DEFAULT_MAX_BATCH_DELAY = Duration.ofMillis(200);

    public WasmStage {
        Objects.requireNonNull(moduleName, "moduleName");
        Objects.requireNonNull(moduleBytes, "moduleBytes");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(onFailure, "onFailure");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maxBatchDelay == null || maxBatchDelay.isNegative() || maxBatchDelay.isZero()) {
            throw new IllegalArgumentException(
                    "max batch delay must be positive, got " + maxBatchDelay);
        }
        moduleCid = moduleCid == null ? ModuleCid.of(moduleBytes).toString() : moduleCid;
    }

    /** A stage with default limits, batching and failure policy (fail the job). */
    public static WasmStage of(WasmModule module, String function) {
        return new WasmStage(
                module.name(),
                module.bytes(),
                module.cid().toString(),
                function,
                module.limits(),
                DEFAULT_BATCH_SIZE,
                DEFAULT_MAX_BATCH_DELAY,
                FailurePolicy.FAIL);
    }

    public WasmStage withBatching(int size, Duration maxDelay) {
        return new WasmStage(
                moduleName, moduleBytes, moduleCid, function, limits, size, maxDelay, onFailure);
    }

    public WasmStage withFailurePolicy(FailurePolicy p) {
        return new WasmStage(
                moduleName, moduleBytes, moduleCid, function, limits, batchSize, maxBatchDelay, p);
    }

    /** The module, loaded once per JVM; fails if the bytes do not match the CID. */
    public WasmModule module() {
        return ModuleRegistry.jvm()
                .load(moduleName, moduleBytes, ModuleCid.parse(moduleCid), limits);
    }
}
