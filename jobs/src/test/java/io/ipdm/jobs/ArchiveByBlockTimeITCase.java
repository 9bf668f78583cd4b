package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator.Planned;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.jobs.testutils.JobComparison;
import io.ipdm.jobs.testutils.RealBlocks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Old Faithful archives of two networks in one source are read by block time: a devnet archive
 * (generated from the real devnet blocks, so its blocks are two months older) at slots 400M and a
 * mainnet one at slots 300M. In slot order the devnet rows would all come after the mainnet ones,
 * behind the watermark; read by their splits' first block times, the DEFAULT out-of-orderness (5 s)
 * drops nothing, at parallelism 1 and 2, and the windows equal per-minute counts of the union taken
 * from the generators' plans (no Flink, no order).
 */
class ArchiveByBlockTimeITCase {
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void twoNetworksArchivesWithDefaultOutOfOrdernessDropNothing(int parallelism, @TempDir Path tmp)
            throws Exception {
        Path d = RealBlocks.dir();
        Map<Long, Long> expected = new TreeMap<>();
        long total = 0;
        String archives = "";
        // mainnet templates first: its archive has the lower slots and the later times
        for (String[] net :
                new String[][] {
                    {"mainnet", "nyanbot-getblock-base58", "300000000"},
                    {"devnet", "photon-getblock-base64", "400000000"}
                }) {
            List<GetBlockArchive.ArchiveBlock> templates =
                    GetBlockArchive.readAll(JobComparison.blockFiles(d.resolve(net[1])));
            List<Planned> plan = ArchiveGenerator.plan(templates, 11, Long.parseLong(net[2]), 3000);
            Path car = tmp.resolve(net[0] + ".car");
            ArchiveGenerator.write(templates, plan, car);
            for (Planned p : plan) {
                long n = templates.get(p.template()).txs().size();
                expected.merge(p.blockTime() / 60 * 60_000, n, Long::sum);
                total += n;
            }
            archives += (archives.isEmpty() ? "" : ",") + car;
        }
        String job =
                JobComparison.perMinuteJob(
                        "archive-by-block-time",
                        "old-faithful",
                        "{path: \"${ARCHIVES}\", split_blocks: "
                                + (parallelism == 1 ? 2000 : 10)
                                + "}",
                        parallelism);
        Map<Long, Long> actual =
                JobComparison.readAllOnTime(
                        job, Map.of("ARCHIVES", archives), tmp, total, r -> r.get("txs").asLong());
        assertThat(actual).as("transactions per minute of chain time").isEqualTo(expected);
    }
}
