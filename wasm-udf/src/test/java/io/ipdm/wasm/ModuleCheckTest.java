package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class ModuleCheckTest {
    @Test
    void everyFunctionOfEachSdkModuleRunsTwiceWithIdenticalBytes() {
        String digest = null;
        for (String lang : List.of("c", "rust", "assemblyscript")) {
            try (RootAllocator a = new RootAllocator()) {
                List<ModuleCheck.FunctionReport> r =
                        ModuleCheck.run(Corpus.load(lang + "/sdk_kinds.wasm"), 5000, 3, a);
                assertThat(r)
                        .extracting(ModuleCheck.FunctionReport::function)
                        .containsExactly("echo", "keep", "explode", "total");
                assertThat(r).allMatch(ModuleCheck.FunctionReport::ok, "all ok");
                assertThat(r.get(0).line())
                        .startsWith(
                                "map echo: 5000 seeded rows in 2 batches -> 5000 rows, output"
                                        + " schema as declared; 2 runs, identical bytes (sha256 ");
                // the three SDKs compute the same bytes from the same rows
                String d = r.get(0).line().replaceAll(".*sha256 ", "");
                if (digest != null) {
                    assertThat(d).as(lang).isEqualTo(digest);
                }
                digest = d;
            }
        }
    }

    @Test
    void aTrappingFunctionIsReportedWithTheHostError() {
        try (RootAllocator a = new RootAllocator()) {
            WasmModule m = Corpus.load("hostile/trap.wasm");
            List<ModuleCheck.FunctionReport> r = ModuleCheck.run(m, 1000, 1, a);
            assertThat(r).hasSize(1);
            assertThat(r.get(0).ok()).isFalse();
            assertThat(r.get(0).line())
                    .startsWith(
                            "map run: FAILED on run 1: module 'trap' ("
                                    + m.cid()
                                    + ") function 'run' batch 0 trapped: ");
        }
    }
}
