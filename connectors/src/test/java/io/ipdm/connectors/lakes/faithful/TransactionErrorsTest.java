package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Errors read from bincode print exactly as getBlock's compact JSON (Jackson's text of it). */
class TransactionErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyShapeReadsBackAsItsCompactJson() throws Exception {
        for (String text :
                new String[] {
                    "\"AccountInUse\"",
                    "\"BlockhashNotFound\"",
                    "{\"InstructionError\":[2,{\"Custom\":6001}]}",
                    "{\"InstructionError\":[0,{\"Custom\":4294967295}]}",
                    "{\"InstructionError\":[255,\"InvalidAccountData\"]}",
                    "{\"InstructionError\":[1,\"BorshIoError\"]}",
                    "{\"InstructionError\":[1,{\"BorshIoError\":\"bad \\\"quote\\\" \\\\ é\\n\"}]}",
                    "{\"DuplicateInstruction\":7}",
                    "{\"InsufficientFundsForRent\":{\"account_index\":3}}",
                    "{\"ProgramExecutionTemporarilyRestricted\":{\"account_index\":9}}"
                }) {
            JsonNode err = JSON.readTree(text);
            BincodeReader in = new BincodeReader(TransactionErrors.write(err));
            assertThat(TransactionErrors.read(in)).isEqualTo(err.toString()).isEqualTo(text);
            assertThat(in.atEnd()).isTrue();
        }
    }

    @Test
    void anUnknownVariantIsNamed() {
        assertThatThrownBy(
                        () -> TransactionErrors.read(new BincodeReader(new byte[] {99, 0, 0, 0})))
                .isInstanceOf(MetaFormatException.class)
                .hasMessage("TransactionError variant 99 is unknown");
    }
}
