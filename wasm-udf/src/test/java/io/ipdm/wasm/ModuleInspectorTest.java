package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModuleInspectorTest {

    @Test
    void describesAbiFunctionsSchemasImportsAndExports() {
        WasmModule m = Corpus.load("c/priority_fee.wasm");
        String text = ModuleInspector.check(Corpus.file("c/priority_fee.wasm"));
        assertThat(text)
                .isEqualTo(
                        "module    priority_fee\n"
                                + "cid       "
                                + m.cid()
                                + "\n"
                                + "size      "
                                + m.bytes().length
                                + " bytes\n"
                                + "abi       1 (host implements 1)\n"
                                + "memory    4 pages initial, no maximum (capped at 1024 by default)\n"
                                + "functions\n"
                                + "  filter paid_priority\n"
                                + "    input   fee: int64, signatures: int32, success: bool\n"
                                + "    exports paid_priority\n"
                                + "  map fee_per_cu\n"
                                + "    input   fee: int64, signatures: int32, compute_units: int64\n"
                                + "    output  priority_fee: int64 not null, micro_lamports_per_cu: float64\n"
                                + "    exports fee_per_cu\n"
                                + "imports   ipdm.abort\n"
                                + "exports   memory (memory) ipdm_reset() ipdm_alloc() paid_priority()"
                                + " fee_per_cu()\n");
    }

    @Test
    void aBadModuleSaysWhatIsWrong() {
        assertThatThrownBy(() -> ModuleInspector.check(Corpus.file("hostile/wasi.wasm")))
                .isInstanceOf(UnlinkableModuleException.class)
                .hasMessageStartingWith(
                        "module 'wasi' imports 'wasi_snapshot_preview1.clock_time_get'");
    }
}
