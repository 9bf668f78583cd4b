package io.ipdm.dataflow.compile;

import static io.ipdm.dataflow.testutils.CompileErrors.assertCompileError;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.wasm.ModuleStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WebAssembly modules in pipelines: window aggregates from a module ({@code wasm: m.f}) and modules
 * by CID from the module store. Mistakes are reported at their line and column before the job
 * starts (the corpus in src/test/resources/invalid-wasm).
 */
class WasmModulesCompileTest {
    private static final Path DIR = Path.of("src/test/resources/invalid-wasm");
    private static final Path CORPUS = Path.of("../wasm-udf/corpus").toAbsolutePath().normalize();
    private static final String CLASSIFY_CID =
            "bafkreiedqx66k2nvvw3ysrazihkfff7bpgoc2w62pzxew7iwum5ngp66wa";

    @TempDir Path store;

    @BeforeEach
    void useTempStore() {
        System.setProperty(ModuleStore.PROPERTY, store.toString());
    }

    @AfterEach
    void clearStore() {
        System.clearProperty(ModuleStore.PROPERTY);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "unknown-module.yaml",
                        "unknown-module.yaml:15:16: stages.s.aggregates[1].wasm: unknown module 'cu'; declared modules: cu_price, pf"),
                Arguments.of(
                        "unknown-function.yaml",
                        "unknown-function.yaml:15:16: stages.s.aggregates[1].wasm: module 'cu_price' has no function 'weighted'; its aggregates: fee_weighted"),
                Arguments.of(
                        "not-an-aggregate.yaml",
                        "not-an-aggregate.yaml:15:16: stages.s.aggregates[1].wasm: 'pf.fee_per_cu' is a map, not an aggregate (use it in a wasm stage); the module's aggregates: none"),
                Arguments.of(
                        "bad-reference.yaml",
                        "bad-reference.yaml:15:16: stages.s.aggregates[1].wasm: expected <module id>.<aggregate function>, e.g. fees.weighted_cu_price, got 'cu_price'"),
                Arguments.of(
                        "fields-unknown-column.yaml",
                        "fields-unknown-column.yaml:15:54: stages.s.aggregates[1].fields.sigs: the aggregate has no input column 'sigs'; its input columns: fee, signatures, compute_units"),
                Arguments.of(
                        "fields-unknown-field.yaml",
                        "fields-unknown-field.yaml:15:60: stages.s.aggregates[1].fields.signatures: unknown field 'num_sigs'; fields of 'txs': slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash"),
                Arguments.of(
                        "fields-wrong-type.yaml",
                        "fields-wrong-type.yaml:15:60: stages.s.aggregates[1].fields.signatures: module 'cu_price' function 'fee_weighted' reads column 'signatures' as int32 but the input field 'fee' has type Long; a int32 column takes Integer"),
                Arguments.of(
                        "column-missing.yaml",
                        "column-missing.yaml:15:16: stages.s.aggregates[1].wasm: module 'cu_price' function 'fee_weighted' reads column 'signatures' (int32) but the input rows have no such field; fields: [slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash]"),
                Arguments.of(
                        "columns-unknown.yaml",
                        "columns-unknown.yaml:15:94: stages.s.aggregates[1].columns.price: the aggregate has no output column 'price'; its output columns: weighted_cu_price, min_cu_price, max_cu_price, priced_txs, priced_fees"),
                Arguments.of(
                        "column-clash.yaml",
                        "column-clash.yaml:9:5: stages.s: aggregate 'cu_price.fee_weighted': the output name 'txs' is already used by a key, window bound or other aggregate"),
                Arguments.of(
                        "mixed-keys.yaml",
                        "mixed-keys.yaml:15:39: stages.s.aggregates[1]: unknown key 'fn'; allowed keys: wasm, fields, columns, batch"),
                Arguments.of(
                        "cid-not-in-store.yaml",
                        "cid-not-in-store.yaml:13:10: modules.classify.cid: module bafkreiedqx66k2nvvw3ysrazihkfff7bpgoc2w62pzxew7iwum5ngp66wa not found in @STORE@ and no gateway to ask the network through; add it with `ipdm wasm add FILE`, or run an `ipdm node` with the gateway or processing role on $IPDM_LAKE_DIR (or set IPDM_GATEWAY) where a storage node holds it (`ipdm wasm add --lake DIR FILE`)"),
                Arguments.of(
                        "cid-pin-mismatch.yaml",
                        "cid-pin-mismatch.yaml:14:10: modules.pf.cid: module 'priority_fee' has CID bafkreiabrplxymoo3mtivwez3nhpfvba3zzsshx6r4iyynmfgunrbybhly but the pipeline pins bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy; the file changed since the CID was taken"));
    }

    private static void compile(String text, String file) {
        Path base = Path.of("target").toAbsolutePath();
        PipelineLoader.Loaded l =
                PipelineLoader.parse(text, file, List.of(), Map.of("CORPUS", CORPUS.toString()));
        CompiledPipeline.compile(l, base);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactMessage(String file, String expected) throws IOException {
        String text = Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
        assertCompileError(text, file, Map.of("CORPUS", CORPUS.toString()))
                .hasMessage(
                        expected.replace("@STORE@", store.toString())
                                .replace("@CORPUS@", CORPUS.toString()));
    }

    @Test
    void everyCorpusFileHasACase() throws IOException {
        List<String> listed = cases().map(a -> (String) a.get()[0]).sorted().toList();
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(listed);
        }
    }

    @Test
    void aModuleByCidAloneLoadsFromTheStore() throws IOException {
        String cid = new ModuleStore(store).add(CORPUS.resolve("c/classify.wasm")).toString();
        assertThat(cid).isEqualTo(CLASSIFY_CID);
        compile(Files.readString(DIR.resolve("cid-not-in-store.yaml")), "by-cid.yaml");
    }
}
