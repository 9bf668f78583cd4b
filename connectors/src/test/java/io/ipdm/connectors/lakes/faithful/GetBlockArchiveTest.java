package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.lakes.OldFaithfulCar;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.testutils.SharedData;
import io.ipdm.lakes.car.CarReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trip of the six real getBlock responses through an Old Faithful archive: converted with
 * {@link GetBlockArchive}, read back with the Old Faithful reader, every table's rows equal the
 * getBlock decoder's (the blocks' previous blockhash aside: the parents are not in the archive).
 */
public class GetBlockArchiveTest {
    public static List<Path> realBlocks() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("photon-getblock-base64", "nyanbot-getblock-base58")) {
            try (Stream<Path> s = Files.list(SharedData.solana(dir))) {
                s.filter(p -> p.getFileName().toString().startsWith("block_")).forEach(files::add);
            }
        }
        assertThat(files).hasSize(6);
        return files;
    }

    @Test
    void sixRealBlocksRoundTrip(@TempDir Path tmp) throws Exception {
        List<Path> files = realBlocks();
        Path car = tmp.resolve("real.car");
        GetBlockArchive.Summary s = GetBlockArchive.convert(files, car);
        assertThat(s.blocks()).isEqualTo(6);
        assertThat(s.transactions()).isEqualTo(602 + 57 + 18 + 58 + 20 + 1509);

        List<SolanaBlock> expected = new ArrayList<>();
        for (Path f : files) {
            expected.add(GetBlockDecoder.decodeFile(f));
        }
        expected.sort(Comparator.comparingLong(SolanaBlock::slot));
        List<SolanaBlock> actual = new ArrayList<>();
        try (InputStream in = Files.newInputStream(car)) {
            OldFaithfulCar.blocks(in, car.toString(), actual::add);
        }
        assertThat(actual).hasSize(6);
        for (SolanaTable table : SolanaTable.values()) {
            List<Row> want = new ArrayList<>();
            List<Row> got = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                want.addAll(SolanaRows.rows(expected.get(i), table));
                got.addAll(SolanaRows.rows(actual.get(i), table));
            }
            if (table == SolanaTable.BLOCKS) {
                int prev = table.indexOf("previous_blockhash");
                got.forEach(r -> assertThat(r.getField(prev)).isEqualTo(FaithfulNodes.ZERO_HASH));
                want.forEach(r -> r.setField(prev, null));
                got.forEach(r -> r.setField(prev, null));
                int leader = table.indexOf("leader_reward");
                assertThat(got).allSatisfy(r -> assertThat(r.getField(leader)).isNotNull());
            }
            assertThat(got).as(table.tableName()).hasSize(want.size());
            for (int i = 0; i < want.size(); i++) {
                assertThat(got.get(i).toString())
                        .as("%s row %d", table.tableName(), i)
                        .isEqualTo(want.get(i).toString());
            }
        }
        // every block verifies against its CID and the root is the Epoch node
        try (InputStream in = Files.newInputStream(car);
                CarReader r = CarReader.open(in)) {
            assertThat(r.header().roots()).containsExactly(s.root());
            int n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isGreaterThan((int) s.transactions());
        }
    }
}
