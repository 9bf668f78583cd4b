package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WasmRuntimeTest {

    @Test
    void testsRunOnTheOptimizingTruffleRuntime() {
        assertThat(WasmRuntime.runtimeName())
                .as("surefire must pass the JVMCI flags (ipdm.graal.flags)")
                .isNotEqualTo("Interpreted");
        WasmRuntime.requireOptimized();
    }

    @Test
    void engineIsSharedAcrossCallers() {
        assertThat(WasmRuntime.engine()).isSameAs(WasmRuntime.engine());
    }
}
