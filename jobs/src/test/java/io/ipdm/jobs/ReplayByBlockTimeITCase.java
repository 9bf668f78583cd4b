package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.jobs.testutils.JobComparison;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.RealBlocks.Block;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replay reads getBlock files by block time: the six real blocks (mainnet and devnet, whose slots
 * interleave with their times: devnet 270893658 is two months older than mainnet 254170887) with
 * the DEFAULT out-of-orderness (5 s) drop nothing as late, at parallelism 1 and 2, and the windows
 * equal per-minute counts taken from the data collector's per-block facts (no Flink, no order).
 */
class ReplayByBlockTimeITCase {
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void mixedNetworksReplayWithDefaultOutOfOrdernessDropNothing(int parallelism, @TempDir Path tmp)
            throws Exception {
        Map<Long, String> expected = new TreeMap<>();
        long total = 0;
        for (Block b : RealBlocks.blocks()) {
            expected.put(b.minute(), b.txCount() + "/" + b.sumFee());
            total += b.txCount();
        }
        Path d = RealBlocks.dir();
        String job =
                JobComparison.perMinuteJob(
                        "replay-by-block-time",
                        "solana-replay",
                        "{path: \"${DATA}\"}",
                        parallelism,
                        "{name: fees, fn: sum, field: fee}");
        Map<Long, String> actual =
                JobComparison.readAllOnTime(
                        job,
                        Map.of(
                                "DATA",
                                d.resolve("photon-getblock-base64")
                                        + ","
                                        + d.resolve("nyanbot-getblock-base58")),
                        tmp,
                        total,
                        r -> r.get("txs").asLong() + "/" + r.get("fees").asLong());
        assertThat(actual).as("txs/fees per minute of chain time").isEqualTo(expected);
    }
}
