package io.ipdm.connectors.lakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipdm.connectors.solana.SolanaTable;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class OldFaithfulCarTest {

    static Path epochCar(int n) {
        Path p =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "solana/yellowstone-faithful-epoch0-car/epoch-0-" + n + ".car");
        assumeTrue(Files.exists(p), "shared test data not found at " + p.toAbsolutePath());
        return p;
    }

    private static List<Row> rows(int n, SolanaTable table) throws Exception {
        try (InputStream in = Files.newInputStream(epochCar(n))) {
            return OldFaithfulCar.rows(in, "epoch-0-" + n + ".car", table);
        }
    }

    @Test
    void epochZeroBlocksAsGetBlockRows() throws Exception {
        int slotIdx = SolanaTable.BLOCKS.indexOf("slot");
        int parentIdx = SolanaTable.BLOCKS.indexOf("parent_slot");
        int txIdx = SolanaTable.BLOCKS.indexOf("tx_count");
        int hashIdx = SolanaTable.BLOCKS.indexOf("blockhash");
        int prevIdx = SolanaTable.BLOCKS.indexOf("previous_blockhash");
        int[] expectedTx = {34, 41, 40};
        for (int n = 1; n <= 3; n++) {
            List<Row> blocks = rows(n, SolanaTable.BLOCKS);
            assertThat(blocks).hasSize(10);
            long txs = 0;
            for (int i = 0; i < blocks.size(); i++) {
                Row b = blocks.get(i);
                long slot = (Long) b.getField(slotIdx);
                assertThat(slot).isEqualTo((n - 1) * 10L + i);
                assertThat(b.getField(parentIdx)).isEqualTo(Math.max(0, slot - 1));
                if (i > 0) {
                    assertThat(b.getField(prevIdx)).isEqualTo(blocks.get(i - 1).getField(hashIdx));
                }
                txs += (Integer) b.getField(txIdx);
            }
            assertThat(txs).as("epoch-0-" + n).isEqualTo(expectedTx[n - 1]);
            List<Row> transactions = rows(n, SolanaTable.TRANSACTIONS);
            assertThat(transactions).hasSize(expectedTx[n - 1]);
            int sig = SolanaTable.TRANSACTIONS.indexOf("signature");
            assertThat(transactions)
                    .allSatisfy(
                            t ->
                                    assertThat((String) t.getField(sig))
                                            .matches("[1-9A-HJ-NP-Za-km-z]{64,88}"));
            assertThat(transactions.stream().map(t -> t.getField(sig)).distinct())
                    .hasSize(expectedTx[n - 1]);
            // every metadata frame of these fixture CARs is empty (the ledger kept no status for
            // genesis-era slots), so, as getBlock with meta null, no fee or status is known
            int fee = SolanaTable.TRANSACTIONS.indexOf("fee");
            int success = SolanaTable.TRANSACTIONS.indexOf("success");
            int cu = SolanaTable.TRANSACTIONS.indexOf("compute_units");
            assertThat(transactions)
                    .allSatisfy(
                            t -> {
                                assertThat(t.getField(fee)).isNull();
                                assertThat(t.getField(success)).isNull();
                                assertThat(t.getField(cu)).isNull();
                            });
            // genesis-era blocks carry only the validators' vote transactions
            int vote = SolanaTable.TRANSACTIONS.indexOf("is_vote");
            assertThat(transactions).allSatisfy(t -> assertThat(t.getField(vote)).isEqualTo(true));
        }
    }
}
