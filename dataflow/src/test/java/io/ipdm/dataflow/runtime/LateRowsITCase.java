package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.replay.enumerator.ReplayFileDiscovery;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing is dropped in silence: the six real blocks of ../shared/data/solana (mainnet and devnet,
 * years apart, read in file order) replayed with the default 5 s out-of-orderness. Every
 * transaction is either counted in a window or counted as dropped late, and a drop ends the run
 * with a warning naming the window stage and the count; with {@code late_output} the late rows
 * reach a sink instead and nothing is dropped. Periodic watermarks make the count depend on timing;
 * {@code watermarks: per_event} makes it exact.
 */
class LateRowsITCase {
    static final String PIPELINE =
            """
            name: late-rows
            event_time: {field: block_time, unit: seconds, watermarks: WATERMARKS}
            sources:
              - id: txs
                kind: solana-replay
                table: transactions
                options: {path: "${DATA}"}
            stages:
              - id: per_minute
                kind: window
                input: txs
                window: {type: tumbling, size: 1m LATE}
                aggregates: [{name: n, fn: count}]
            sinks:
              - {id: windows, kind: jsonl, input: per_minute, options: {path: "${OUT}/windows"}}
            LATE_SINK
            runtime: {parallelism: PARALLELISM, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    static final String LATE_SINK =
            "  - {id: late, kind: jsonl, input: late_txs, options: {path: \"${OUT}/late\"}}\n";

    static List<Path> blocks() throws IOException {
        Path solana =
                Path.of(System.getProperty("ipdm.shared.data", "../../shared/data"), "solana");
        Path photon = solana.resolve("photon-getblock-base64");
        Path nyanbot = solana.resolve("nyanbot-getblock-base58");
        Assumptions.assumeTrue(
                Files.isDirectory(photon) && Files.isDirectory(nyanbot),
                "real Solana blocks not found under " + solana + "; skipping");
        return List.of(photon.toAbsolutePath().normalize(), nyanbot.toAbsolutePath().normalize());
    }

    /** Transactions in the block files, decoded in plain Java. */
    static long transactions(List<Path> dirs) throws IOException {
        long n = 0;
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f :
                        files.filter(p -> p.getFileName().toString().startsWith("block_"))
                                .toList()) {
                    n +=
                            SolanaRows.rows(GetBlockDecoder.decodeFile(f), SolanaTable.TRANSACTIONS)
                                    .size();
                }
            }
        }
        return n;
    }

    static RunResult run(Path tmp, int parallelism, boolean keepLate) throws Exception {
        return run(tmp, parallelism, keepLate, "periodic");
    }

    static RunResult run(Path tmp, int parallelism, boolean keepLate, String watermarks)
            throws Exception {
        List<Path> dirs = blocks();
        String yaml =
                PIPELINE.replace("LATE_SINK", keepLate ? LATE_SINK : "")
                        .replace("LATE", keepLate ? ", late_output: late_txs" : "")
                        .replace("PARALLELISM", Integer.toString(parallelism))
                        .replace("WATERMARKS", watermarks);
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(
                        yaml,
                        "late.yaml",
                        List.of(),
                        Map.of(
                                "DATA", dirs.get(0) + "," + dirs.get(1),
                                "OUT", tmp.resolve("out").toString(),
                                "STATE", tmp.resolve("state").toString()));
        try (LocalRunner runner =
                new LocalRunner(
                        CompiledPipeline.compile(loaded, tmp),
                        RunOptions.defaults().withProgress(false))) {
            runner.start();
            RunResult result = runner.await();
            assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FINISHED);
            return result;
        }
    }

    static long windowed(Path tmp) throws IOException {
        return JsonLinesFiles.read(tmp.resolve("out/windows")).stream()
                .mapToLong(n -> n.get("n").asLong())
                .sum();
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void everyRowIsCountedInAWindowOrAsDroppedAndWarned(int parallelism, @TempDir Path tmp)
            throws Exception {
        long total = transactions(blocks());
        RunResult result = run(tmp, parallelism, false);
        JobMetrics.Snapshot end = result.metrics();
        long dropped = end.lateDropped().stream().mapToLong(JobMetrics.Count::rows).sum();

        assertThat(end.recordsIn()).isEqualTo(total);
        assertThat(windowed(tmp) + dropped).isEqualTo(total);
        if (dropped == 0) {
            assertThat(result.warnings()).isEmpty();
        } else {
            assertThat(end.lateDropped())
                    .containsExactly(new JobMetrics.Count("per_minute", dropped));
            assertThat(result.warnings())
                    .singleElement()
                    .asString()
                    .contains(
                            String.format(
                                    Locale.ROOT,
                                    "window stage 'per_minute' dropped %,d rows as late",
                                    dropped))
                    .contains("late_output")
                    .contains("max_out_of_orderness");
            assertThat(Progress.summary(end, 1))
                    .contains(
                            String.format(
                                    Locale.ROOT,
                                    "window per_minute: %,d late rows dropped",
                                    dropped));
        }
        // Whether any row is late depends on whether a periodic watermark was emitted between the
        // mainnet blocks and the older devnet block, i.e. on timing: the invariants above hold
        // either
        // way, so the test asserts them and not a count.
    }

    /**
     * Rows a per-event watermark makes late, worked out here without Flink: the replay reads the
     * files in slot order; a row is dropped when its one-minute window ends at or before the
     * watermark left by the rows before it (largest event time - 5 s - 1 ms).
     */
    static long lateUnderPerEventWatermarks(List<Path> dirs) {
        List<ReplaySplit> files =
                new ArrayList<>(
                        ReplayFileDiscovery.discover(dirs.stream().map(Path::toString).toList()));
        files.sort(Comparator.comparingLong(ReplaySplit::slot).thenComparing(ReplaySplit::path));
        long maxSeen = Long.MIN_VALUE;
        long late = 0;
        for (ReplaySplit f : files) {
            SolanaBlock block = GetBlockDecoder.decodeFile(Path.of(f.path()));
            long t = block.blockTime() * 1000;
            long windowMax = Math.floorDiv(t, 60_000L) * 60_000L + 59_999;
            for (int i = 0; i < SolanaRows.rows(block, SolanaTable.TRANSACTIONS).size(); i++) {
                if (maxSeen != Long.MIN_VALUE && windowMax <= maxSeen - 5_000 - 1) {
                    late++;
                }
                maxSeen = Math.max(maxSeen, t);
            }
        }
        return late;
    }

    /**
     * {@code event_time.watermarks: per_event}: the watermark follows every row, so the drop branch
     * is exact whatever the machine's speed: the devnet block, older than the mainnet block read
     * before it, is dropped, counted for the window stage, shown in the summary and warned about
     * with the stage and the count.
     */
    @Test
    void perEventWatermarksDropExactlyTheRowsBehindTheWatermark(@TempDir Path tmp)
            throws Exception {
        List<Path> dirs = blocks();
        long total = transactions(dirs);
        long late = lateUnderPerEventWatermarks(dirs);
        assertThat(late).as("the devnet block is behind the watermark").isPositive();

        RunResult result = run(tmp, 1, false, "per_event");
        JobMetrics.Snapshot end = result.metrics();

        assertThat(end.recordsIn()).isEqualTo(total);
        assertThat(end.lateDropped()).containsExactly(new JobMetrics.Count("per_minute", late));
        assertThat(windowed(tmp)).isEqualTo(total - late);
        assertThat(result.warnings())
                .singleElement()
                .asString()
                .contains(
                        String.format(
                                Locale.ROOT,
                                "window stage 'per_minute' dropped %,d rows as late",
                                late))
                .contains("late_output: per_minute_late")
                .contains("max_out_of_orderness");
        assertThat(Progress.summary(end, 1))
                .contains(
                        String.format(
                                Locale.ROOT, "window per_minute: %,d late rows dropped", late));
    }

    @Test
    void lateOutputKeepsWhatWouldBeDropped(@TempDir Path tmp) throws Exception {
        long total = transactions(blocks());
        RunResult result = run(tmp, 1, true);
        List<JsonNode> late = JsonLinesFiles.read(tmp.resolve("out/late"));

        assertThat(result.metrics().lateDropped()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        assertThat(windowed(tmp) + late.size()).isEqualTo(total);
        assertThat(result.metrics().sinks())
                .extracting(JobMetrics.SinkCount::id, JobMetrics.SinkCount::rows)
                .contains(org.assertj.core.groups.Tuple.tuple("late", (long) late.size()));
    }
}
