package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.lakes.OldFaithfulCar;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.InnerInstructions;
import io.ipdm.connectors.solana.block.Instruction;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.lakes.LakesException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class OldFaithfulMetaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path photonBlock(long slot) {
        Path p =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "solana/photon-getblock-base64/block_" + slot + ".json");
        assumeTrue(Files.exists(p), "shared test data not found at " + p.toAbsolutePath());
        return p;
    }

    /**
     * A real mainnet block (602 txs, 305 failed, v0 txs with loaded addresses, inner instructions,
     * token balances) stored the Old Faithful way gives exactly the getBlock source's rows.
     */
    @Test
    void protobufMetadataGivesTheGetBlockRows() throws Exception {
        long slot = 254170887L;
        Path file = photonBlock(slot);
        JsonNode getBlock = JSON.readTree(file.toFile());
        byte[] car = FaithfulCars.car(getBlock, slot, MetaEncoders::proto);
        SolanaBlock expected = GetBlockDecoder.decodeFile(file);
        for (SolanaTable table :
                List.of(
                        SolanaTable.TRANSACTIONS,
                        SolanaTable.INSTRUCTIONS,
                        SolanaTable.TOKEN_BALANCE_CHANGES)) {
            List<Row> want = SolanaRows.rows(expected, table);
            List<Row> got = OldFaithfulCar.rows(new ByteArrayInputStream(car), "of.car", table);
            assertThat(got).as(table.name()).isEqualTo(want);
        }
        Row block =
                OldFaithfulCar.rows(new ByteArrayInputStream(car), "of.car", SolanaTable.BLOCKS)
                        .get(0);
        Row wantBlock = SolanaRows.rows(expected, SolanaTable.BLOCKS).get(0);
        for (String f :
                List.of(
                        "slot",
                        "blockhash",
                        "tx_count",
                        "vote_tx_count",
                        "failed_tx_count",
                        "total_fee",
                        "total_compute_units")) {
            int i = SolanaTable.BLOCKS.indexOf(f);
            assertThat(block.getField(i)).as(f).isEqualTo(wantBlock.getField(i));
        }
        // SOURCES.md: 305 failed txs, fees sum to 33,813,246 lamports
        assertThat(block.getField(SolanaTable.BLOCKS.indexOf("failed_tx_count"))).isEqualTo(305);
        assertThat(block.getField(SolanaTable.BLOCKS.indexOf("total_fee"))).isEqualTo(33_813_246L);
    }

    @Test
    void bincodeMetadataOfAnOldEpoch() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        MetaEncoders.u32(b, 1); // Err
        b.writeBytes(
                MetaEncoders.bincodeError(
                        JSON.createObjectNode()
                                .set(
                                        "InstructionError",
                                        JSON.createArrayNode()
                                                .add(1)
                                                .add(
                                                        JSON.createObjectNode()
                                                                .put("Custom", 6001)))));
        MetaEncoders.u64(b, 5000); // fee
        MetaEncoders.u64(b, 2);
        MetaEncoders.u64(b, 10_000);
        MetaEncoders.u64(b, 7);
        MetaEncoders.u64(b, 2);
        MetaEncoders.u64(b, 5_000);
        MetaEncoders.u64(b, 7);
        b.write(1); // Some(inner instructions)
        MetaEncoders.u64(b, 1);
        b.write(0); // for instruction 0
        MetaEncoders.u64(b, 1);
        b.write(1); // program id index
        b.writeBytes(new byte[] {2, 0, 1}); // short_vec accounts [0, 1]
        b.writeBytes(new byte[] {3, 1, 2, 3}); // short_vec data
        b.write(1); // Some(log messages)
        MetaEncoders.u64(b, 1);
        byte[] log = "Program log: hi".getBytes(StandardCharsets.UTF_8);
        MetaEncoders.u64(b, log.length);
        b.writeBytes(log);
        // older writers stop here: token balances and the rest are "none"
        TransactionMeta meta = TransactionMeta.decode(FaithfulCars.zstd(b.toByteArray()), 1000);
        assertThat(meta.error()).isEqualTo("{\"InstructionError\":[1,{\"Custom\":6001}]}");
        assertThat(meta.fee()).isEqualTo(5000);
        assertThat(meta.preBalances()).containsExactly(10_000, 7);
        assertThat(meta.postBalances()).containsExactly(5_000, 7);
        assertThat(meta.innerInstructions()).hasSize(1);
        InnerInstructions group = meta.innerInstructions().get(0);
        assertThat(group.index()).isZero();
        assertThat(group.instructions()).hasSize(1);
        Instruction ix = group.instructions().get(0);
        assertThat(ix.programIdIndex()).isEqualTo(1);
        assertThat(ix.accounts()).containsExactly(0, 1);
        assertThat(ix.data()).isEqualTo("Ldp");
        assertThat(ix.stackHeight()).isNull();
        assertThat(meta.logMessages()).containsExactly("Program log: hi");
        assertThat(meta.computeUnits()).isNull();
    }

    @Test
    void unitVariantErrorsAndTruncatedMetadata() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        MetaEncoders.u32(b, 1); // Err
        MetaEncoders.u32(b, 0); // AccountInUse
        MetaEncoders.u64(b, 5000);
        MetaEncoders.u64(b, 0);
        MetaEncoders.u64(b, 0);
        byte[] accountInUse = b.toByteArray();
        TransactionMeta meta = TransactionMeta.decode(FaithfulCars.zstd(accountInUse), 5);
        assertThat(meta.error()).isEqualTo("\"AccountInUse\"");
        assertThat(meta.fee()).isEqualTo(5000);
        assertThatThrownBy(() -> TransactionMeta.decode(FaithfulCars.zstd(new byte[] {1, 0, 0}), 5))
                .isInstanceOf(LakesException.class)
                .hasMessage(
                        "transaction metadata is neither bincode (bincode truncated at byte"
                                + " 0 (needs 4 more)) nor protobuf (TransactionStatusMeta: field"
                                + " number 0 is invalid)");
        assertThatThrownBy(() -> TransactionMeta.decode(new byte[] {1, 2, 3, 4, 5}, 5))
                .isInstanceOf(LakesException.class)
                .hasMessageStartingWith("transaction metadata is not valid zstd (");
    }
}
