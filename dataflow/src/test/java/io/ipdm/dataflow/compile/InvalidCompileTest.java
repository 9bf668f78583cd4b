package io.ipdm.dataflow.compile;

import static io.ipdm.dataflow.testutils.CompileErrors.assertCompileError;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.testutils.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mistakes only visible with schemas (CEL expressions, field names, options) are reported at the
 * exact line and column before the job starts. The pipelines read the real blocks in
 * ../shared/data/solana.
 */
class InvalidCompileTest {
    private static final Path DIR = Path.of("src/test/resources/invalid-compile");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "cel-not-bool.yaml",
                        "cel-not-bool.yaml:12:12: stages.s.where: invalid expression 'fee + 1': a condition must be a bool (true or false), but this expression is int"),
                Arguments.of(
                        "cel-projection-error.yaml",
                        "cel-projection-error.yaml:14:20: stages.s.select.cost: invalid expression 'fee * compute_unitz': unknown field 'compute_unitz'; known fields: slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash"),
                Arguments.of(
                        "cel-syntax-error.yaml",
                        "cel-syntax-error.yaml:12:19: stages.s.where: invalid expression 'fee > > 5000': extraneous input '>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"),
                Arguments.of(
                        "cel-unknown-field.yaml",
                        "cel-unknown-field.yaml:12:13: stages.s.where: invalid expression 'fees > 5000 && !is_vote': unknown field 'fees'; known fields: slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash"),
                Arguments.of(
                        "event-time-field-unknown.yaml",
                        "event-time-field-unknown.yaml:2:21: event_time.field: source 'txs': unknown event time field 'blocktime'; known fields: slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash"),
                Arguments.of(
                        "jsonl-without-checkpoints.yaml",
                        "jsonl-without-checkpoints.yaml:11:11: sinks.out.kind: a jsonl sink commits its files on checkpoints; set runtime.checkpoint_interval above 0"),
                Arguments.of(
                        "jsonl-order-by-without-top.yaml",
                        "jsonl-order-by-without-top.yaml:12:43: sinks.out.options.order_by: order_by ranks the rows top keeps; without top a file sink writes every row as it comes, so order_by would do nothing: add top: N (rows per window) or drop order_by"),
                Arguments.of(
                        "missing-replay-path.yaml",
                        "missing-replay-path.yaml:7:22: sources.txs.options.path: no such file or directory: @DATA@/no-such-dir"),
                Arguments.of(
                        "parquet-unknown-compression.yaml",
                        "parquet-unknown-compression.yaml:12:39: sinks.out.options.compression: unknown compression 'lz4'; allowed: snappy, zstd, gzip, uncompressed"),
                Arguments.of(
                        "terminal-order-by-unknown.yaml",
                        "terminal-order-by-unknown.yaml:17:25: sinks.out.options.order_by: unknown column 'fees'; columns of 's': slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash"),
                Arguments.of(
                        "unknown-aggregate-field.yaml",
                        "unknown-aggregate-field.yaml:14:26: stages.s.aggregates[0].field: unknown field 'fees' (did you mean 'fee'?); fields of 'txs': slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash"),
                Arguments.of(
                        "unknown-explode-field.yaml",
                        "unknown-explode-field.yaml:12:12: stages.s.field: unknown field 'programs'; fields of 'txs': slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash"),
                Arguments.of(
                        "unknown-key-field.yaml",
                        "unknown-key-field.yaml:12:14: stages.s.key_by[0]: unknown field 'fee_payr' (did you mean 'fee_payer'?); fields of 'txs': slot, block_time, index, signature, fee_payer, fee, success, error, compute_units, program_ids, inner_program_ids, is_vote, num_signatures, version, num_instructions, num_inner_instructions, num_accounts, recent_blockhash"),
                Arguments.of(
                        "verify-signatures-json-rpc.yaml",
                        "verify-signatures-json-rpc.yaml:10:26: sources.txs.options.verify_signatures: verify_signatures needs encoding base64 or base58 (the signed message bytes); encoding json does not carry them"),
                Arguments.of(
                        "unknown-source-option.yaml",
                        "unknown-source-option.yaml:7:62: sources.txs.options.paths: unknown option 'paths' (did you mean 'path'?); allowed options: path, on_corrupt_block, verify_signatures"),
                Arguments.of(
                        "unknown-table.yaml",
                        "unknown-table.yaml:6:12: sources.txs.table: unknown Solana table 'txs'; allowed: blocks, transactions, instructions, token_balance_changes"),
                Arguments.of(
                        "window-keyed-twice.yaml",
                        "window-keyed-twice.yaml:16:13: stages.s.key_by: input 'k' is already keyed by [fee_payer]; remove key_by here or the key_by stage"));
    }

    static Path data() {
        return SharedData.solana().normalize();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactMessage(String file, String expected) throws IOException {
        Path data = data();
        String text = Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
        assertCompileError(text, file, Map.of("DATA", data.toString()))
                .hasMessage(expected.replace("@DATA@", data.toString()));
    }

    @Test
    void everyCorpusFileHasACase() throws IOException {
        List<String> listed = cases().map(a -> (String) a.get()[0]).sorted().toList();
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(listed);
        }
    }
}
