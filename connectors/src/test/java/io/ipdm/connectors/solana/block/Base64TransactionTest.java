package io.ipdm.connectors.solana.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Base64 transactions go through the JDK's decoder (long ones) or the table loop (short ones, and
 * any the JDK refuses, to name the bad character): both must accept and refuse the same texts.
 */
class Base64TransactionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long SLOT = 270893658L;

    private static ObjectNode block() throws Exception {
        return (ObjectNode)
                MAPPER.readTree(
                        Files.readAllBytes(
                                SharedData.solana(
                                        "photon-getblock-base64/block_" + SLOT + ".json")));
    }

    private static String rows(ObjectNode root) throws Exception {
        SolanaBlock b = GetBlockDecoder.decode(MAPPER.writeValueAsBytes(root), "test", SLOT);
        return SolanaRows.rows(b, Projection.all(SolanaTable.TRANSACTIONS)).toString();
    }

    private static ArrayNode wire(ObjectNode root, int i) {
        return (ArrayNode) root.get("transactions").get(i).get("transaction");
    }

    @Test
    void unpaddedTransactionsDecodeLikePaddedOnes() throws Exception {
        ObjectNode root = block();
        String expected = rows(root);
        int stripped = 0;
        for (int i = 0; i < root.get("transactions").size(); i++) {
            String s = wire(root, i).get(0).asText();
            String unpadded = s.replaceAll("=+$", "");
            stripped += s.length() - unpadded.length();
            wire(root, i).set(0, MAPPER.getNodeFactory().textNode(unpadded));
        }
        assertThat(stripped).isPositive();
        assertThat(rows(root)).isEqualTo(expected);
    }

    @Test
    void aBadCharacterAnywhereIsNamedWithItsPosition() throws Exception {
        String s = wire(block(), 3).get(0).asText();
        assertThat(s.length()).isGreaterThan(130);
        int last = s.replaceAll("=+$", "").length() - 1;
        for (int at : new int[] {0, 1, 2, 3, 62, 63, 64, 65, 66, 67, 100, last}) {
            for (char bad : new char[] {'!', '-', '_', '.', '"', '='}) {
                if (bad == '=' && at == last) {
                    continue; // a '=' there is padding (too much of it: said as a length error)
                }
                ObjectNode root = block();
                String broken = s.substring(0, at) + bad + s.substring(at + 1);
                wire(root, 3).set(0, MAPPER.getNodeFactory().textNode(broken));
                String named = "'" + bad + "'";
                assertThatThrownBy(() -> rows(root))
                        .as("%s at %d", bad, at)
                        .isInstanceOf(SolanaDecodeException.class)
                        .hasMessageContaining("transaction 3: ")
                        .hasMessageContaining(
                                "field \"transaction\" is not valid base64 (character "
                                        + named
                                        + " at position "
                                        + at
                                        + ")");
            }
        }
    }
}
