package io.ipdm.connectors.solana.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** Decodes the real getBlock responses in ../shared/data/solana and checks them. */
class GetBlockDecoderRealDataTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyJsonFileDecodes() throws IOException {
        Path dir = SharedData.solana();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files =
                    s.filter(p -> p.toString().endsWith(".json"))
                            .filter(p -> !p.getFileName().toString().startsWith("EXPECTED"))
                            .filter(p -> !p.getFileName().toString().startsWith("expected_"))
                            .filter(p -> !p.toString().contains("manifest"))
                            .filter(
                                    p ->
                                            !p.getFileName()
                                                    .toString()
                                                    .contains("client-block_transaction_"))
                            .sorted()
                            .toList();
        }
        assertThat(files).hasSize(26);
        for (Path f : files) {
            SolanaBlock block = GetBlockDecoder.decodeFile(f);
            for (SolanaTable t : SolanaTable.values()) {
                for (Row r : SolanaRows.rows(block, t)) {
                    assertThat(r.getArity()).isEqualTo(t.arity());
                }
            }
        }
    }

    @Test
    void blocksMatchExpectedDerived() throws IOException {
        JsonNode expected = MAPPER.readTree(SharedData.solana("EXPECTED-derived.json").toFile());
        int checked = 0;
        for (Map.Entry<String, JsonNode> e : expected.get("blocks").properties()) {
            JsonNode exp = e.getValue();
            SolanaBlock block =
                    GetBlockDecoder.decodeFile(SharedData.solana(exp.get("file").asText()));
            Row row = SolanaRows.blockRow(block);
            SolanaTable t = SolanaTable.BLOCKS;
            assertThat(row.getField(t.indexOf("slot"))).isEqualTo(exp.get("slot").asLong());
            assertThat(row.getField(t.indexOf("parent_slot")))
                    .isEqualTo(exp.get("parentSlot").asLong());
            assertThat(row.getField(t.indexOf("blockhash")))
                    .isEqualTo(exp.get("blockhash").asText());
            assertThat(row.getField(t.indexOf("previous_blockhash")))
                    .isEqualTo(exp.get("previousBlockhash").asText());
            assertThat(row.getField(t.indexOf("block_height")))
                    .isEqualTo(exp.get("blockHeight").asLong());
            assertThat(row.getField(t.indexOf("block_time")))
                    .isEqualTo(exp.get("blockTime").asLong());
            assertThat(row.getField(t.indexOf("tx_count"))).isEqualTo(exp.get("tx_count").asInt());
            assertThat(row.getField(t.indexOf("signature_count")))
                    .isEqualTo(exp.get("signature_count").asInt());
            assertThat(row.getField(t.indexOf("vote_tx_count")))
                    .isEqualTo(exp.get("vote_tx_count").asInt());
            assertThat(row.getField(t.indexOf("failed_tx_count")))
                    .isEqualTo(exp.get("failed_tx_count").asInt());
            assertThat(row.getField(t.indexOf("total_fee")))
                    .isEqualTo(exp.get("sum_fee_lamports").asLong());
            assertThat(row.getField(t.indexOf("leader_reward")))
                    .isEqualTo(exp.get("fee_reward_lamports").get(0).asLong());

            List<Row> txs = SolanaRows.rows(block, SolanaTable.TRANSACTIONS);
            SolanaTable tt = SolanaTable.TRANSACTIONS;
            assertThat(txs.get(0).getField(tt.indexOf("signature")))
                    .isEqualTo(exp.get("first_tx_signature").asText());
            assertThat(txs.get(txs.size() - 1).getField(tt.indexOf("signature")))
                    .isEqualTo(exp.get("last_tx_signature").asText());
            Map<String, Integer> versions = new HashMap<>();
            long nonVote = 0;
            for (Row r : txs) {
                versions.merge((String) r.getField(tt.indexOf("version")), 1, Integer::sum);
                nonVote += Boolean.TRUE.equals(r.getField(tt.indexOf("is_vote"))) ? 0 : 1;
            }
            Map<String, Integer> expVersions = new HashMap<>();
            exp.get("tx_versions")
                    .properties()
                    .forEach(v -> expVersions.put(v.getKey(), v.getValue().asInt()));
            assertThat(versions).isEqualTo(expVersions);
            assertThat(nonVote).isEqualTo(exp.get("non_vote_tx_count").asLong());
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }

    @Test
    void nonVoteSignaturesOfBlock270893658() throws IOException {
        SolanaBlock block =
                GetBlockDecoder.decodeFile(
                        SharedData.solana("photon-getblock-base64/block_270893658.json"));
        JsonNode expected =
                MAPPER.readTree(
                        SharedData.solana(
                                        "photon-getblock-base64/expected_nonvoting_signatures_270893658.json")
                                .toFile());
        List<String> exp = new ArrayList<>();
        collectSignatures(expected, exp);
        List<String> actual =
                block.transactions().stream()
                        .filter(tx -> !tx.isVote())
                        .map(SolanaTransaction::signature)
                        .toList();
        assertThat(exp).hasSize(46);
        assertThat(actual).containsExactlyInAnyOrderElementsOf(exp);
    }

    private static void collectSignatures(JsonNode node, List<String> out) {
        if (node.isTextual() && node.asText().length() > 80) {
            out.add(node.asText());
        } else if (node.isObject() && node.has("signature")) {
            out.add(node.get("signature").asText());
        } else if (node.isContainerNode()) {
            node.forEach(n -> collectSignatures(n, out));
        }
    }

    @Test
    void jsonAndJsonParsedGiveSameTransactionRows() {
        SolanaBlock json =
                GetBlockDecoder.decodeFile(
                        SharedData.solana("chainstorage-getblock-json/client-block.json"));
        SolanaBlock parsed =
                GetBlockDecoder.decodeFile(
                        SharedData.solana("chainstorage-getblock-json/client-block_v2.json"));
        assertThat(json.slot()).isEqualTo(100_000_000L);
        assertThat(parsed.slot()).isEqualTo(100_000_000L);
        List<Row> a = SolanaRows.rows(json, SolanaTable.TRANSACTIONS);
        List<Row> b = SolanaRows.rows(parsed, SolanaTable.TRANSACTIONS);
        assertThat(a).hasSize(10);
        assertThat(b).isEqualTo(a);
        assertThat(SolanaRows.rows(parsed, SolanaTable.BLOCKS))
                .isEqualTo(SolanaRows.rows(json, SolanaTable.BLOCKS));
        // Instruction rows agree on everything jsonParsed keeps: program ids and positions.
        List<Row> ia = SolanaRows.rows(json, SolanaTable.INSTRUCTIONS);
        List<Row> ib = SolanaRows.rows(parsed, SolanaTable.INSTRUCTIONS);
        assertThat(ib).hasSameSizeAs(ia);
        int program = SolanaTable.INSTRUCTIONS.indexOf("program_id");
        for (int i = 0; i < ia.size(); i++) {
            assertThat(ib.get(i).getField(program)).isEqualTo(ia.get(i).getField(program));
        }
    }

    @Test
    void versionedTransactionResolvesLookups() {
        SolanaBlock block =
                GetBlockDecoder.decodeFile(
                        SharedData.solana(
                                "chainstorage-getblock-json/parser-block_with_versioned_tx.json"));
        assertThat(block.slot()).isEqualTo(154_808_473L);
        assertThat(block.blockhash()).isEqualTo("FQUbe5QqZN2RqeViRThTFfFqGA2QLUeAqZDbbrMSmac9");
        SolanaTransaction tx = block.transactions().get(0);
        assertThat(tx.version()).isEqualTo("0");
        // 6 static keys? No: checked from the fixture: static keys + 24 writable + 11 readonly.
        int loaded = 24 + 11;
        assertThat(tx.accountKeys().size()).isGreaterThan(loaded);
        int firstLoaded = tx.accountKeys().size() - loaded;
        assertThat(tx.accountKeys().get(firstLoaded))
                .isEqualTo("8SheGtsopRUDzdiD6v6BR9a6bqZ9QwywYQY99Fp5meNf");
        assertThat(tx.accountKeys().get(tx.accountKeys().size() - 1))
                .isEqualTo("HaNqpJUQeH2t6SB3tDJAtKV52fJM9rV1mGZrRrqMRZo1");
        // Token balances index into the loaded range (6 static keys, then 24 writable, 11
        // readonly).
        List<Row> changes = SolanaRows.rows(block, SolanaTable.TOKEN_BALANCE_CHANGES);
        SolanaTable t = SolanaTable.TOKEN_BALANCE_CHANGES;
        assertThat(changes)
                .extracting(
                        r -> r.getField(t.indexOf("account_index")),
                        r -> r.getField(t.indexOf("account")),
                        r -> r.getField(t.indexOf("delta")))
                .containsExactly(
                        tuple(7, "2PYVzDJ6Buks4yUVeDEhLwc14wKpxbehEsbeU6yM8J8d", -76609L),
                        tuple(11, "CfWX7o2TswwbxusJ4hCaPobu2jLCb1hfXuXJQjVq3jQF", 11594L),
                        tuple(12, "EnTrdMMpdhugeH6Ban6gYZWXughWxKtVGfCwFn78ZmY3", -11149L),
                        tuple(15, "GeYuE27xhZWWoWBSxTZ2QbayiVNz8HJLHDCNybyJAocW", 11149L),
                        tuple(18, "7EH4JmfYFA7xoumw1ikD7Rf8SauqHw7TqmJpCwUeuQPH", 11143L),
                        tuple(21, "BbwCGgAHEUfu7PUEz8hR877aK2snseqorfLbvtcVbjhj", 22364264L),
                        tuple(22, "5BUkh9e3JF9yUvSw6P3HHqkdMuujRG942hYNSkAEghFs", -22343229L),
                        tuple(24, "9pKxj6GTTdJ2biQ6uTyv7CTmVmnjz6cXGCz7rXg7Nm2N", 137L),
                        tuple(26, "9zj4aX38Uxf3h6AUjS4EipWS8mwbEofasHAf3a1uKGds", 22343229L),
                        tuple(27, "CwQDG1MWunn9cLNwcZLd8YBacweSR7ARo32w4mLua1Yr", -22363909L),
                        tuple(29, "5Gdxn4yquneifE6uk9tK8X4CqHfWKjW2BvYU25hAykwP", 53517L));
        Row usdc = changes.get(0);
        assertThat(usdc.getField(t.indexOf("mint")))
                .isEqualTo("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v");
        assertThat(usdc.getField(t.indexOf("decimals"))).isEqualTo(6);
        assertThat((Double) usdc.getField(t.indexOf("ui_delta"))).isEqualTo(-0.076609);
        assertThat(usdc.getField(t.indexOf("signature")))
                .isEqualTo(
                        "5X7cr7bxjwoWvWFvSmVfmF3PhYcid4ojtNGYiDsRRP6P5cfzkahxbZfwH4YDdhy9RnSEyaT255aDw14vis5Qxvqh");
    }

    @Test
    void malformedChainstorageFilesAreRejected() {
        Path none =
                SharedData.solana(
                        "chainstorage-getblock-json/client-block_transaction_no_signatures.json");
        assertThatThrownBy(() -> GetBlockDecoder.decodeFile(none))
                .isInstanceOf(SolanaDecodeException.class)
                .hasMessage(
                        none + ": slot 100000000, transaction 0: transaction has no signatures");
        Path empty =
                SharedData.solana(
                        "chainstorage-getblock-json/client-block_transaction_signatures_empty_string.json");
        assertThatThrownBy(() -> GetBlockDecoder.decodeFile(empty))
                .isInstanceOf(SolanaDecodeException.class)
                .hasMessage(
                        empty
                                + ": slot 100000000, transaction 0: signature 0 '' decodes to 0 bytes,"
                                + " expected 64");
    }
}
