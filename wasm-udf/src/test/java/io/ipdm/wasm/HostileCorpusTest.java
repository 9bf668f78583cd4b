package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every module of corpus/hostile is rejected at load or contained at call, with a clear message.
 */
class HostileCorpusTest {
    private RootAllocator allocator;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown() {
        allocator.close();
    }

    private VectorSchemaRoot run(ModuleSession s, long... xs) {
        VectorSchemaRoot in = s.newInput("run");
        List<Object[]> rows = Arrays.stream(xs).mapToObj(x -> new Object[] {x}).toList();
        ModuleSessionTest.fill(in, s.module().function("run").input(), rows);
        try {
            return s.map("run", in);
        } finally {
            in.close();
        }
    }

    @Test
    void infiniteLoopIsInterruptedAtTheTimeBudget() {
        WasmModule m =
                Corpus.load(
                        "hostile/loop.wasm",
                        SandboxLimits.DEFAULT.withCallTimeout(Duration.ofMillis(300)));
        try (ModuleSession s = new ModuleSession(m, allocator)) {
            assertThatThrownBy(() -> run(s, 1))
                    .isInstanceOf(BudgetExceededException.class)
                    .hasMessage(
                            "module 'loop' ("
                                    + m.cid()
                                    + ") function 'run' batch 0 ran longer than its time budget of 300"
                                    + " ms (limits: time 300 ms, memory 1024 pages (64 MiB)); raise it"
                                    + " with the module's config key 'timeout' (e.g. timeout: 30s)");
        }
    }

    @Test
    void memoryGrowthStopsAtTheCap() {
        WasmModule m = Corpus.load("hostile/grow.wasm", Corpus.TEST_LIMITS.withMaxMemoryPages(64));
        try (ModuleSession s = new ModuleSession(m, allocator)) {
            assertThatThrownBy(() -> run(s, 1))
                    .isInstanceOf(BudgetExceededException.class)
                    .hasMessageStartingWith(
                            "module 'grow' ("
                                    + m.cid()
                                    + ") function 'run' batch 0 failed at its memory cap (limits: time"
                                    + " 120000 ms, memory 64 pages (4 MiB)): ");
            assertThat(s.instance().memorySize()).isEqualTo(64 * 65536);
        }
    }

    @Test
    void initialMemoryAboveTheCapIsRejectedAtLoad() {
        // the C corpus starts with 4 pages (256 KiB)
        assertThatThrownBy(
                        () ->
                                Corpus.load(
                                        "c/classify.wasm",
                                        Corpus.TEST_LIMITS.withMaxMemoryPages(2)))
                .isInstanceOf(BudgetExceededException.class)
                .hasMessage(
                        "module 'classify' starts with 4 memory pages, above the cap of time 120000 ms,"
                                + " memory 2 pages (0 MiB)");
    }

    @Test
    void wasiImportsAreRejectedAtLoad() {
        assertThatThrownBy(() -> Corpus.load("hostile/wasi.wasm"))
                .isInstanceOf(UnlinkableModuleException.class)
                .hasMessage(
                        "module 'wasi' imports 'wasi_snapshot_preview1.clock_time_get' from WASI; IPDM"
                                + " modules may not use clocks, random numbers or files (the same input"
                                + " must give the same output on every node). Allowed imports: ipdm.log,"
                                + " ipdm.abort");
    }

    @Test
    void otherAbiVersionsAreRejectedAtLoad() {
        assertThatThrownBy(() -> Corpus.load("hostile/abi2.wasm"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessage(
                        "module 'abi2' was built for IPDM ABI version 2 but this host implements"
                                + " version 1; rebuild it with the current SDK");
    }

    @Test
    void trapsNameModuleFunctionAndBatch() {
        WasmModule m = Corpus.load("hostile/trap.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator)) {
            try (VectorSchemaRoot ok = run(s, 1, 2, 4)) {
                // output roots belong to the session; close() here is harmless and idempotent
            }
            assertThatThrownBy(() -> run(s, 5, 0))
                    .isInstanceOf(WasmTrapException.class)
                    .hasMessageStartingWith(
                            "module 'trap' (" + m.cid() + ") function 'run' batch 1 trapped: ")
                    .hasMessageEndingWith(" (memory 4 of 1024 pages)");
            // the instance survives a trap: the next batch works
            assertThat(run(s, 10).getRowCount()).isEqualTo(1);
        }
    }

    @Test
    void nanPayloadsAndSignsAreCanonicalized() {
        WasmModule m = Corpus.load("hostile/nan.wasm");
        long canonical = Double.doubleToRawLongBits(Double.NaN);
        assertThat(canonical).isEqualTo(io.ipdm.wasm.abi.BatchReader.CANONICAL_NAN);
        long[] in = {
            0x7ff0000000000123L, // signalling NaN with a payload
            0xfff8000000000000L, // negative quiet NaN
            0x7fffffffffffffffL,
            canonical,
            Double.doubleToRawLongBits(1.5),
            0x7ff0000000000000L, // +infinity stays
            Double.doubleToRawLongBits(-0.0) // -0.0 stays
        };
        try (ModuleSession s = new ModuleSession(m, allocator)) {
            VectorSchemaRoot out = run(s, in);
            org.apache.arrow.vector.Float8Vector y =
                    (org.apache.arrow.vector.Float8Vector) out.getVector(0);
            long[] bits = new long[in.length];
            for (int i = 0; i < in.length; i++) {
                bits[i] = y.getDataBuffer().getLong(8L * i);
            }
            assertThat(bits)
                    .containsExactly(
                            canonical,
                            canonical,
                            canonical,
                            canonical,
                            Double.doubleToRawLongBits(1.5),
                            0x7ff0000000000000L,
                            Double.doubleToRawLongBits(-0.0));
        }
    }

    @Test
    void rustPanicReachesTheHostWithItsMessage() {
        WasmModule m = Corpus.load("hostile/panic.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator)) {
            assertThatThrownBy(() -> run(s, 5, 3, 0))
                    .isInstanceOf(WasmTrapException.class)
                    .hasMessage(
                            "module 'panic' ("
                                    + m.cid()
                                    + ") function 'run' batch 0 aborted: panic: panicked at 'x is"
                                    + " zero at row 2', ipdm/corpus/hostile/panic.rs:18:13");
            assertThat(run(s, 10).getRowCount()).isEqualTo(1);
        }
    }

    @Test
    void malformedBinariesAreRejectedAtLoad() throws Exception {
        byte[] good = Files.readAllBytes(Corpus.file("c/classify.wasm"));
        assertThatThrownBy(
                        () ->
                                WasmModule.load(
                                        "cut", Arrays.copyOf(good, 40), SandboxLimits.DEFAULT))
                .isInstanceOf(MalformedModuleException.class)
                .hasMessageStartingWith("module 'cut' section ");
        assertThatThrownBy(
                        () -> WasmModule.load("text", "(module)".getBytes(), SandboxLimits.DEFAULT))
                .isInstanceOf(MalformedModuleException.class)
                .hasMessage(
                        "module 'text' does not start with the WebAssembly magic bytes 00 61 73 6d");
    }

    @Test
    void outputThatBreaksTheDeclaredSchemaIsReported() {
        WasmModule m = Corpus.load("hostile/badschema.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator)) {
            assertThatThrownBy(() -> run(s, 1, 2))
                    .isInstanceOf(AbiViolationException.class)
                    .hasMessage(
                            "module 'badschema' ("
                                    + m.cid()
                                    + ") function 'run' batch 0 returned the output batch with 1 buffers"
                                    + " and 1 children; the declared schema needs 1 and 2 (does the"
                                    + " module's output match its descriptor?)");
        }
    }

    @Test
    void errorCodesAndAbortsCarryTheModulesMessage() {
        WasmModule m = Corpus.load("hostile/reject.wasm");
        try (ModuleSession s = new ModuleSession(m, allocator)) {
            assertThatThrownBy(() -> run(s, 1, -1))
                    .isInstanceOf(WasmTrapException.class)
                    .hasMessage(
                            "module 'reject' ("
                                    + m.cid()
                                    + ") function 'run' batch 0 returned error -1 IPDM_ERR_INPUT (the"
                                    + " module rejected the batch): negative x");
            assertThatThrownBy(() -> run(s, 666))
                    .isInstanceOf(WasmTrapException.class)
                    .hasMessage(
                            "module 'reject' ("
                                    + m.cid()
                                    + ") function 'run' batch 1 aborted: x is 666");
            assertThat(run(s, 21).getVector(0).getObject(0)).isEqualTo(42L);
        }
    }
}
