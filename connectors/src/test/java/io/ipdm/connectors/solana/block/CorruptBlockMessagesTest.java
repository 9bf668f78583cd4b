package io.ipdm.connectors.solana.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.testutils.SharedData;
import io.ipdm.connectors.solana.wire.WireTransaction;
import io.ipdm.multiformats.Base58;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real block corrupted many ways: every error names the file, the slot, the transaction index
 * when the fault is inside a transaction, and what is wrong in words, without a Java class name.
 */
class CorruptBlockMessagesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern JAVA_NAMES =
            Pattern.compile(
                    "Exception|Error\\b|java\\.|com\\.fasterxml|io\\.ipdm|\\bat [a-z]+\\.[a-z]");
    private static final long SLOT = 270893658L;
    private static final long V0_SLOT = 443787702L;

    @TempDir Path dir;

    private record Case(String name, byte[] bytes, long slot, Integer tx, String expected) {}

    private final List<Case> cases = new ArrayList<>();

    private static byte[] real(String name) throws IOException {
        return Files.readAllBytes(SharedData.solana("photon-getblock-base64/" + name));
    }

    private void json(String name, Integer tx, String expected, Consumer<ObjectNode> change)
            throws IOException {
        jsonIn("block_" + SLOT + ".json", SLOT, name, tx, expected, change);
    }

    private void jsonIn(
            String file,
            long slot,
            String name,
            Integer tx,
            String expected,
            Consumer<ObjectNode> change)
            throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(real(file));
        change.accept(root);
        cases.add(new Case(name, MAPPER.writeValueAsBytes(root), slot, tx, expected));
    }

    /** Where a parse error strikes depends on the bytes: the transaction is not asserted. */
    private void raw(String name, byte[] bytes, String expected) {
        cases.add(new Case(name, bytes, SLOT, ANY_TX, expected));
    }

    private static final int ANY_TX = -1;

    private static ObjectNode tx(ObjectNode root, int i) {
        return (ObjectNode) root.get("transactions").get(i);
    }

    private static ObjectNode meta(ObjectNode root, int i) {
        return (ObjectNode) tx(root, i).get("meta");
    }

    private static byte[] wireBytes(ObjectNode root, int i) {
        return Base64.getDecoder().decode(tx(root, i).get("transaction").get(0).asText());
    }

    private static void setWire(ObjectNode root, int i, String data, String encoding) {
        ArrayNode a = MAPPER.createArrayNode().add(data).add(encoding);
        tx(root, i).set("transaction", a);
    }

    /** Offset of instruction 0's program id index in a legacy transaction's bytes. */
    private static int firstProgramIndexOffset(byte[] bytes) {
        WireTransaction w = WireTransaction.decode(bytes);
        int keys = w.staticAccountKeys().length;
        int at = w.messageOffset() + 3;
        at += keys < 128 ? 1 : 2;
        at += 32 * keys + 32;
        at += w.instructions().size() < 128 ? 1 : 2;
        return at;
    }

    @Test
    void everyCorruptionIsSaidPlainly() throws IOException {
        byte[] good = real("block_" + SLOT + ".json");
        // --- files that are not JSON
        raw("truncated", Arrays.copyOf(good, good.length / 2), "not valid JSON at line 1, column ");
        byte[] nonUtf8 = good.clone();
        nonUtf8[200] = (byte) 0xff;
        raw("non-UTF-8 byte", nonUtf8, "not valid JSON at line 1, column ");
        raw("empty file", new byte[0], "the input is empty");
        raw("not an object", "[1,2]".getBytes(StandardCharsets.UTF_8), "found an array");
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        trailing[good.length] = '{';
        trailing[good.length + 1] = '}';
        trailing[good.length + 2] = ' ';
        raw("content after the object", trailing, "unexpected content after the response object");
        raw(
                "JSON-RPC error",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32007,\"message\":\"Slot 270893658 was skipped\"}}"
                        .getBytes(StandardCharsets.UTF_8),
                "the JSON-RPC response is an error: -32007: Slot 270893658 was skipped");
        raw(
                "JSON-RPC null result",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}".getBytes(StandardCharsets.UTF_8),
                "JSON-RPC result is null");
        // --- block fields of the wrong type or missing
        json(
                "blockTime text",
                null,
                "field \"blockTime\" must be a non-negative integer or null, got a string (\"abc\")",
                r -> r.put("blockTime", "abc"));
        json(
                "parentSlot text",
                null,
                "field \"parentSlot\" must be a non-negative integer or null, got a string",
                r -> r.put("parentSlot", "270893657"));
        json(
                "negative parentSlot",
                null,
                "field \"parentSlot\" must be a non-negative integer, got -5",
                r -> r.put("parentSlot", -5));
        json(
                "blockHeight decimal",
                null,
                "field \"blockHeight\" must be a non-negative integer or null, got a decimal number",
                r -> r.put("blockHeight", 1.5));
        json(
                "blockhash missing",
                null,
                "field \"blockhash\" is missing",
                r -> r.remove("blockhash"));
        json(
                "parentSlot missing",
                null,
                "field \"parentSlot\" is missing",
                r -> r.remove("parentSlot"));
        json(
                "blockhash number",
                null,
                "field \"blockhash\" must be a string, got an integer (7)",
                r -> r.put("blockhash", 7));
        json(
                "transactions object",
                null,
                "field \"transactions\" must be an array or null, got an object",
                r -> r.set("transactions", MAPPER.createObjectNode()));
        json(
                "rewards lamports text",
                null,
                "field \"rewards[0].lamports\" must be an integer",
                r -> ((ObjectNode) r.get("rewards").get(0)).put("lamports", "many"));
        // --- one transaction broken
        json(
                "transaction item not an object",
                3,
                "must be an object {transaction, meta, version}, got a string",
                r ->
                        ((ArrayNode) r.get("transactions"))
                                .set(3, MAPPER.getNodeFactory().textNode("x")));
        json(
                "transaction missing",
                4,
                "field \"transaction\" is missing",
                r -> tx(r, 4).remove("transaction"));
        json(
                "negative fee",
                5,
                "field \"meta.fee\" must be a non-negative integer, got -1",
                r -> meta(r, 5).put("fee", -1));
        json("fee missing", 5, "field \"meta.fee\" is missing", r -> meta(r, 5).remove("fee"));
        json(
                "fee text",
                6,
                "field \"meta.fee\" must be a non-negative integer, got a string (\"5000\")",
                r -> meta(r, 6).put("fee", "5000"));
        json(
                "meta text",
                7,
                "field \"meta\" must be an object or null, got a string",
                r -> tx(r, 7).put("meta", "none"));
        json(
                "computeUnitsConsumed boolean",
                8,
                "field \"meta.computeUnitsConsumed\" must be a non-negative integer or null, got a boolean",
                r -> meta(r, 8).put("computeUnitsConsumed", true));
        json(
                "bad base64 character",
                17,
                "field \"transaction\" is not valid base64 (character '!' at position 40)",
                r -> {
                    String s = tx(r, 17).get("transaction").get(0).asText();
                    setWire(r, 17, s.substring(0, 40) + "!" + s.substring(41), "base64");
                });
        json(
                "base64 wrong length",
                9,
                "field \"transaction\" is not valid base64 (wrong length or padding",
                r -> {
                    String s = tx(r, 9).get("transaction").get(0).asText();
                    setWire(r, 9, s + "A", "base64");
                });
        json(
                "base64 transaction cut short",
                10,
                "the transaction's bytes are malformed at byte ",
                r -> {
                    byte[] b = wireBytes(r, 10);
                    setWire(
                            r,
                            10,
                            Base64.getEncoder().encodeToString(Arrays.copyOf(b, b.length - 30)),
                            "base64");
                });
        json(
                "bad base58 character",
                11,
                "field \"transaction\" is not valid base58 (character '0' at position 10)",
                r -> {
                    String s = Base58.encode(wireBytes(r, 11));
                    setWire(r, 11, s.substring(0, 10) + "0" + s.substring(11), "base58");
                });
        json(
                "unknown encoding",
                12,
                "unsupported transaction encoding \"base32\"",
                r -> setWire(r, 12, "AAAA", "base32"));
        json(
                "three-element transaction",
                13,
                "field \"transaction\" must be [data, encoding], got 3 elements",
                r -> ((ArrayNode) tx(r, 13).get("transaction")).add("extra"));
        json(
                "program index out of range",
                14,
                "instruction 0 program id refers to account 200 but the transaction has",
                r -> {
                    byte[] b = wireBytes(r, 14);
                    b[firstProgramIndexOffset(b)] = (byte) 200;
                    setWire(r, 14, Base64.getEncoder().encodeToString(b), "base64");
                });
        json(
                "token balance account out of range",
                2,
                "preTokenBalances refers to account 99 but the transaction has",
                r ->
                        ((ObjectNode) meta(r, 2).get("preTokenBalances").get(0))
                                .put("accountIndex", 99));
        json(
                "token amount negative",
                2,
                "postTokenBalances amount '-5' of account",
                r ->
                        ((ObjectNode)
                                        meta(r, 2)
                                                .get("postTokenBalances")
                                                .get(0)
                                                .get("uiTokenAmount"))
                                .put("amount", "-5"));
        json(
                "inner instruction index text",
                2,
                "field \"meta.innerInstructions[0].index\" must be an integer, got a string",
                r ->
                        ((ObjectNode) meta(r, 2).get("innerInstructions").get(0))
                                .put("index", "zero"));
        json(
                "inner instruction account out of range",
                2,
                "inner instruction of ",
                r ->
                        ((ArrayNode)
                                        meta(r, 2)
                                                .get("innerInstructions")
                                                .get(0)
                                                .get("instructions")
                                                .get(0)
                                                .get("accounts"))
                                .add(250));
        json(
                "version text mismatch",
                15,
                "field \"version\" says 0 but the message is legacy",
                r -> tx(r, 15).put("version", 0));
        jsonIn(
                "block_" + V0_SLOT + ".json",
                V0_SLOT,
                "v0 without loadedAddresses",
                4,
                "meta.loadedAddresses is missing",
                r -> meta(r, 4).remove("loadedAddresses"));
        jsonIn(
                "block_" + V0_SLOT + ".json",
                V0_SLOT,
                "v0 with too few loaded addresses",
                4,
                "address table lookups load ",
                r ->
                        ((ObjectNode) meta(r, 4).get("loadedAddresses"))
                                .set("writable", MAPPER.createArrayNode()));

        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        for (Case c : cases) {
            Path file = dir.resolve("block_" + c.slot() + ".json");
            Files.write(file, c.bytes());
            String where =
                    file
                            + ": slot "
                            + c.slot()
                            + (c.tx() == null
                                    ? ": "
                                    : c.tx() == ANY_TX ? "" : ", transaction " + c.tx() + ": ");
            assertThatThrownBy(() -> GetBlockDecoder.decodeFile(file), c.name())
                    .as(c.name())
                    .isInstanceOf(SolanaDecodeException.class)
                    .hasMessageStartingWith(where)
                    .hasMessageContaining(c.expected())
                    .satisfies(
                            e ->
                                    assertThat(JAVA_NAMES.matcher(e.getMessage()).find())
                                            .as(c.name() + ": " + e.getMessage())
                                            .isFalse());
        }
    }

    @Test
    void aJsonParseErrorGivesLineColumnAndByte() throws IOException {
        byte[] good = real("block_" + SLOT + ".json");
        byte[] cut = Arrays.copyOf(good, 1000);
        Path file = dir.resolve("block_" + SLOT + ".json");
        Files.write(file, cut);
        assertThatThrownBy(() -> GetBlockDecoder.decodeFile(file))
                .hasMessageStartingWith(file + ": slot " + SLOT + ", transaction 0: ")
                .hasMessageContaining(": not valid JSON at line 1, column ")
                .hasMessageContaining("(byte 1000)")
                .hasMessageContaining("end-of-input");
        byte[] bad = good.clone();
        bad[120] = (byte) 0xc3;
        bad[121] = (byte) 0x28;
        Files.write(file, bad);
        assertThatThrownBy(() -> GetBlockDecoder.decodeFile(file))
                .hasMessageContaining("not valid JSON at line 1, column ")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void aGetTransactionResultWithANegativeSlotIsRefused() {
        String json =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"slot\":-3,\"blockTime\":1,\"meta\":null,"
                        + "\"transaction\":null}}";
        assertThatThrownBy(
                        () ->
                                GetBlockDecoder.decode(
                                        json.getBytes(StandardCharsets.UTF_8), "tx.json", null))
                .hasMessage("tx.json: field \"slot\" must be a non-negative integer, got -3");
    }
}
