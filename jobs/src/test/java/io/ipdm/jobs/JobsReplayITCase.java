package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.RealBlocks.Block;
import io.ipdm.jobs.testutils.RealBlocks.TokenBalance;
import io.ipdm.jobs.testutils.RealBlocks.TokenTx;
import io.ipdm.jobs.testutils.RealBlocks.Tx;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example job in jobs/ on the six full real blocks in ../shared/data/solana (base64 and
 * base58 getBlock responses), its source swapped for {@code solana-replay} as the docs say. The
 * window rows are checked against values computed without IPDM's decoder: the data collector's
 * per-block counts (EXPECTED-derived.json) and fees, signatures and token balances read straight
 * from the responses. The six blocks are minutes apart, so every window holds exactly one block.
 */
class JobsReplayITCase {
    static final String VOTE_PROGRAM = "Vote111111111111111111111111111111111111111";
    static List<Block> blocks;
    static Map<Long, Block> byMinute;

    @BeforeAll
    static void readExpected() throws IOException {
        blocks = RealBlocks.blocks();
        byMinute = RealBlocks.byMinute(blocks);
        assertThat(blocks).hasSize(6);
        for (Block b : blocks) {
            // the raw reader agrees with the collector before it is used for expected values
            List<Tx> txs = RealBlocks.transactions(b);
            assertThat(txs).hasSize((int) b.txCount());
            assertThat(txs.stream().mapToLong(Tx::fee).sum()).isEqualTo(b.sumFee());
            assertThat(txs.stream().filter(t -> !t.success()).count()).isEqualTo(b.failedTxCount());
        }
    }

    private static List<JsonNode> run(String job, String source, Path tmp) throws Exception {
        return SyntheticJobRun.run(Path.of(job), source, tmp, RealBlocks.replay(source));
    }

    private static Block blockOf(JsonNode r) {
        Block b = byMinute.get(r.get("window_start").asLong());
        assertThat(b).as("a window of no block: %s", r).isNotNull();
        return b;
    }

    @Test
    void programActivity(@TempDir Path tmp) throws Exception {
        Map<Long, List<JsonNode>> perMinute = new TreeMap<>();
        for (JsonNode r : run("solana-program-activity.yaml", "txs", tmp)) {
            perMinute
                    .computeIfAbsent(r.get("window_start").asLong(), k -> new ArrayList<>())
                    .add(r);
        }
        assertThat(perMinute.keySet()).isEqualTo(new TreeMap<>(byMinute).keySet());
        for (List<JsonNode> rows : perMinute.values()) {
            Block b = blockOf(rows.get(0));
            long busiest = 0;
            for (JsonNode r : rows) {
                long txs = r.get("txs").asLong();
                long failed = r.get("failed").asLong();
                assertThat(r.get("program_id").asText()).isNotEqualTo(VOTE_PROGRAM);
                assertThat(r.get("window_end").asLong()).isEqualTo(b.minute() + 60_000);
                assertThat(txs).isBetween(1L, b.nonVoteTxCount());
                assertThat(failed).isBetween(0L, Math.min(txs, b.failedTxCount()));
                assertThat(r.get("failure_rate").asDouble())
                        .isCloseTo((double) failed / txs, within(1e-12));
                busiest = Math.max(busiest, txs);
            }
            // every non-vote transaction calls a program, and counts once per program
            long calls = rows.stream().mapToLong(r -> r.get("txs").asLong()).sum();
            assertThat(calls).as("block %d", b.slot()).isGreaterThanOrEqualTo(b.nonVoteTxCount());
            assertThat(busiest).isPositive();
        }
    }

    @Test
    void feeQuantiles(@TempDir Path tmp) throws Exception {
        List<JsonNode> rows = run("solana-fee-quantiles.yaml", "txs", tmp);
        // hopping 5m by 1m: each block is in the five windows starting at its minute and the
        // four minutes before, with exactly its non-vote transactions
        Map<Long, Long> expected = new TreeMap<>();
        for (Block b : blocks) {
            for (int k = 0; k < 5; k++) {
                expected.put(b.minute() - k * 60_000L, b.nonVoteTxCount());
            }
        }
        Map<Long, Long> actual = new TreeMap<>();
        for (JsonNode r : rows) {
            long start = r.get("window_start").asLong();
            assertThat(r.get("window_end").asLong() - start).isEqualTo(300_000);
            actual.put(start, r.get("txs").asLong());
            JsonNode fee = r.get("fee");
            assertThat(fee.get(0).asDouble()).isLessThanOrEqualTo(fee.get(1).asDouble());
            assertThat(fee.get(1).asDouble()).isLessThanOrEqualTo(fee.get(2).asDouble());
            assertThat(fee.get(2).asDouble()).isLessThanOrEqualTo(r.get("max_fee").asDouble());
            assertThat(fee.get(0).asDouble()).isGreaterThanOrEqualTo(5000);
        }
        assertThat(actual).hasSize(rows.size()).isEqualTo(expected);
    }

    @Test
    void tokenVolume(@TempDir Path tmp) throws Exception {
        // per (mint, owner, block): changed token accounts and the sum of |post - pre|
        Map<String, String> expected = new TreeMap<>();
        Map<String, long[]> acc = new TreeMap<>();
        for (Block b : blocks) {
            for (TokenTx t : RealBlocks.tokenTransactions(b)) {
                Map<Integer, TokenBalance[]> byAccount = new TreeMap<>();
                t.pre()
                        .forEach(
                                p ->
                                        byAccount
                                                        .computeIfAbsent(
                                                                p.accountIndex(),
                                                                k -> new TokenBalance[2])[0] =
                                                p);
                t.post()
                        .forEach(
                                p ->
                                        byAccount
                                                        .computeIfAbsent(
                                                                p.accountIndex(),
                                                                k -> new TokenBalance[2])[1] =
                                                p);
                for (TokenBalance[] pp : byAccount.values()) {
                    BigInteger pre = pp[0] == null ? BigInteger.ZERO : pp[0].amount();
                    BigInteger post = pp[1] == null ? BigInteger.ZERO : pp[1].amount();
                    if (pp[0] != null && pp[1] != null && pre.equals(post)) {
                        continue;
                    }
                    TokenBalance any = pp[1] != null ? pp[1] : pp[0];
                    long[] c =
                            acc.computeIfAbsent(
                                    any.mint() + "|" + any.owner() + "|" + t.blockTime(),
                                    k -> new long[2]);
                    c[0]++;
                    c[1] += post.subtract(pre).abs().longValueExact();
                }
            }
        }
        acc.forEach((k, c) -> expected.put(k, c[0] + "/" + c[1]));
        assertThat(expected).hasSizeGreaterThan(10);

        Map<String, String> actual = new TreeMap<>();
        for (JsonNode r : run("solana-token-volume.yaml", "balances", tmp)) {
            long first = r.get("first_seen").asLong();
            assertThat(r.get("last_seen").asLong()).isEqualTo(first);
            assertThat(r.get("window_start").asLong()).isEqualTo(first * 1000);
            assertThat(r.get("window_end").asLong()).isEqualTo(first * 1000 + 120_000);
            String key = r.get("mint").asText() + "|" + r.get("owner").asText(null) + "|" + first;
            String value = r.get("transfers").asLong() + "/" + r.get("volume").asLong();
            assertThat(actual.put(key, value)).as("two sessions for %s", key).isNull();
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void dexVolume(@TempDir Path tmp) throws Exception {
        Map<Long, long[]> totals = new TreeMap<>();
        for (JsonNode r : run("solana-dex-volume.yaml", "txs", tmp)) {
            Block b = blockOf(r);
            long[] t = totals.computeIfAbsent(b.minute(), k -> new long[3]);
            t[0] += r.get("txs").asLong();
            t[1] += r.get("failed").asLong();
            if (r.get("family").asText().equals("vote")) {
                t[2] += r.get("txs").asLong();
            }
        }
        Map<Long, String> expected = new TreeMap<>();
        for (Block b : blocks) {
            expected.put(b.minute(), b.txCount() + "/" + b.failedTxCount() + "/" + b.voteTxCount());
        }
        Map<Long, String> actual = new TreeMap<>();
        totals.forEach((minute, t) -> actual.put(minute, t[0] + "/" + t[1] + "/" + t[2]));
        assertThat(actual).as("txs/failed/vote per block minute").isEqualTo(expected);
    }

    @Test
    void cuPrice(@TempDir Path tmp) throws Exception {
        Map<Long, Long> votes = new TreeMap<>();
        Map<Long, Long> calls = new TreeMap<>();
        for (JsonNode r : run("solana-cu-price.yaml", "txs", tmp)) {
            Block b = blockOf(r);
            calls.merge(b.minute(), r.get("txs").asLong(), Long::sum);
            if (r.get("program_id").asText().equals(VOTE_PROGRAM)) {
                votes.put(b.minute(), r.get("txs").asLong());
            }
            JsonNode price = r.get("cu_price");
            assertThat(price.isNull() || price.asDouble() >= 0).as("%s", r).isTrue();
        }
        for (Block b : blocks) {
            // a vote transaction is one whose top-level instructions call the vote program
            assertThat(votes.get(b.minute())).as("block %d", b.slot()).isEqualTo(b.voteTxCount());
            assertThat(calls.get(b.minute())).isGreaterThanOrEqualTo(b.txCount());
        }
    }

    @Test
    void priorityFees(@TempDir Path tmp) throws Exception {
        // successful transactions that paid more than 5,000 lamports per signature
        Map<Long, String> expected = new TreeMap<>();
        for (Block b : blocks) {
            long n = 0;
            long sum = 0;
            long max = 0;
            for (Tx t : RealBlocks.transactions(b)) {
                long priority = t.fee() - 5000L * t.signatures();
                if (t.success() && priority > 0) {
                    n++;
                    sum += priority;
                    max = Math.max(max, priority);
                }
            }
            if (n > 0) {
                expected.put(b.minute(), n + "/" + sum + "/" + max);
            }
        }
        assertThat(expected).isNotEmpty();
        Map<Long, String> actual = new TreeMap<>();
        for (JsonNode r : run("solana-priority-fees.yaml", "txs", tmp)) {
            Block b = blockOf(r);
            actual.put(
                    b.minute(),
                    r.get("txs").asLong()
                            + "/"
                            + r.get("priority_fee").asLong()
                            + "/"
                            + r.get("max_priority_fee").asLong());
        }
        assertThat(actual).isEqualTo(expected);
    }
}
