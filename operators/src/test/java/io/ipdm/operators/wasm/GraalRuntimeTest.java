package io.ipdm.operators.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.wasm.WasmRuntime;
import org.junit.jupiter.api.Test;

/** Guards the surefire flags of this module: WASM operators must be tested on compiled code. */
class GraalRuntimeTest {

    @Test
    void operatorTestsRunOnTheOptimizingTruffleRuntime() {
        assertThat(WasmRuntime.runtimeName())
                .as("operators/pom.xml must set ipdm.graal.flags")
                .isNotEqualTo("Interpreted");
    }
}
