package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example job on a small span of the synthetic chain, with its terminal sink swapped for
 * a JSON Lines sink, and checks properties of the window rows it wrote.
 */
class JobsITCase {
    private static List<JsonNode> run(String job, String source, Path tmp) throws Exception {
        return SyntheticJobRun.run(Path.of(job), source, tmp);
    }

    @Test
    void programActivity(@TempDir Path tmp) throws Exception {
        for (JsonNode r : run("solana-program-activity.yaml", "txs", tmp)) {
            long start = r.get("window_start").asLong();
            assertThat(start % 60_000).isZero();
            assertThat(r.get("window_end").asLong() - start).isEqualTo(60_000);
            long txs = r.get("txs").asLong();
            long failed = r.get("failed").asLong();
            assertThat(txs).isPositive();
            assertThat(failed).isBetween(0L, txs);
            assertThat(r.get("failure_rate").asDouble())
                    .isCloseTo((double) failed / txs, org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    @Test
    void feeQuantiles(@TempDir Path tmp) throws Exception {
        for (JsonNode r : run("solana-fee-quantiles.yaml", "txs", tmp)) {
            long start = r.get("window_start").asLong();
            assertThat(start % 60_000).isZero();
            assertThat(r.get("window_end").asLong() - start).isEqualTo(300_000);
            JsonNode fee = r.get("fee");
            assertThat(fee.size()).isEqualTo(3);
            assertThat(fee.get(0).asDouble()).isLessThanOrEqualTo(fee.get(1).asDouble());
            assertThat(fee.get(1).asDouble()).isLessThanOrEqualTo(fee.get(2).asDouble());
            assertThat(fee.get(2).asDouble()).isLessThanOrEqualTo(r.get("max_fee").asDouble());
            assertThat(r.get("txs").asLong()).isPositive();
        }
    }

    @Test
    void tokenVolume(@TempDir Path tmp) throws Exception {
        for (JsonNode r : run("solana-token-volume.yaml", "balances", tmp)) {
            long first = r.get("first_seen").asLong() * 1000;
            long last = r.get("last_seen").asLong() * 1000;
            assertThat(first).isLessThanOrEqualTo(last);
            assertThat(r.get("window_start").asLong()).isEqualTo(first);
            assertThat(r.get("window_end").asLong()).isEqualTo(last + 120_000);
            assertThat(r.get("volume").asLong()).isNotNegative();
            assertThat(r.get("transfers").asLong()).isPositive();
        }
    }
}
