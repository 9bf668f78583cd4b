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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * {@code verify_signatures}: every real mainnet/devnet signature in the six complete blocks
 * verifies over the message bytes (so the bytes are the signed message), and one flipped byte in a
 * real transaction's message is an error naming the transaction and the signature.
 */
class VerifySignaturesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everySignatureOfTheSixRealBlocksVerifies() {
        int txs = 0;
        for (Path f : SharedData.fullBlocks()) {
            SolanaBlock b = GetBlockDecoder.decodeFile(f, Projection.EVERYTHING, true);
            txs += b.transactions().size();
        }
        // 602 + 57 + 18 + 58 + 20 + 1509 transactions (SOURCES.md).
        assertThat(txs).isEqualTo(2264);
    }

    @Test
    void aFlippedMessageByteIsCaughtNamingTransactionAndSignature() throws IOException {
        Path file = SharedData.solana("photon-getblock-base64/block_270893658.json");
        ObjectNode root = (ObjectNode) MAPPER.readTree(file.toFile());
        ObjectNode tx = (ObjectNode) root.get("transactions").get(21);
        byte[] bytes = Base64.getDecoder().decode(tx.get("transaction").get(0).asText());
        WireTransaction w = WireTransaction.decode(bytes);
        // The last byte is in the message (instruction data or lookups), not a signature.
        bytes[bytes.length - 1] ^= 0x01;
        tx.set(
                "transaction",
                MAPPER.createArrayNode()
                        .add(Base64.getEncoder().encodeToString(bytes))
                        .add("base64"));
        byte[] json = MAPPER.writeValueAsBytes(root);
        // Without verification the altered transaction decodes.
        assertThat(GetBlockDecoder.decode(json, "altered.json", 270893658L).transactions())
                .hasSize(57);
        assertThatThrownBy(
                        () ->
                                GetBlockDecoder.decode(
                                        json,
                                        "altered.json",
                                        270893658L,
                                        Projection.EVERYTHING,
                                        true))
                .isInstanceOf(SolanaDecodeException.class)
                .hasMessage(
                        "altered.json: slot 270893658, transaction 21: signature 0 ("
                                + Base58.encode(w.signatures()[0])
                                + ") does not verify: it is not account "
                                + Base58.encode(w.staticAccountKeys()[0])
                                + "'s Ed25519 signature of the message bytes (transaction"
                                + " altered or corrupt)");
    }

    @Test
    void base58TransactionsAreVerifiedToo() throws IOException {
        Path file = SharedData.solana("photon-getblock-base64/block_314167369.json");
        ObjectNode root = (ObjectNode) MAPPER.readTree(file.toFile());
        for (var item : (ArrayNode) root.get("transactions")) {
            byte[] b = Base64.getDecoder().decode(item.get("transaction").get(0).asText());
            ((ObjectNode) item)
                    .set(
                            "transaction",
                            MAPPER.createArrayNode().add(Base58.encode(b)).add("base58"));
        }
        byte[] json = MAPPER.writeValueAsBytes(root);
        assertThat(
                        GetBlockDecoder.decode(
                                        json, "b58.json", 314167369L, Projection.EVERYTHING, true)
                                .transactions())
                .hasSize(18);
    }

    @Test
    void jsonEncodedTransactionsCannotBeVerified() throws IOException {
        Path file = SharedData.solana("chainstorage-getblock-json/client-block.json");
        byte[] json = Files.readAllBytes(file);
        assertThatThrownBy(
                        () ->
                                GetBlockDecoder.decode(
                                        json,
                                        "client-block.json",
                                        100000000L,
                                        Projection.EVERYTHING,
                                        true))
                .hasMessage(
                        "client-block.json: slot 100000000, transaction 0: cannot verify"
                                + " signatures of a json-encoded transaction: verify_signatures"
                                + " needs the base64 or base58 encoding");
    }
}
