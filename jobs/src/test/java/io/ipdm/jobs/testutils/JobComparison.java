package io.ipdm.jobs.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the tests that run a job two or more ways and compare its windows share: the example jobs in
 * jobs/, their Solana sources and the {@code --set} overrides that switch those sources to another
 * input, the six real blocks as an Old Faithful archive, the windows of a run in a form two runs
 * can be compared in, and a per-minute job read by block time with the checks that it read every
 * row and dropped none as late.
 */
public final class JobComparison {
    private JobComparison() {}

    /** The example jobs: every {@code *.yaml} in jobs/, sorted. */
    public static List<Path> jobFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("."))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The ids of the job's Solana sources (synthetic, replay, RPC or Old Faithful). */
    public static List<String> solanaSources(Path job) {
        return PipelineLoader.load(job, List.of(), Map.of("IPDM_ARCHIVE", "x.car"))
                .spec()
                .sources()
                .stream()
                .filter(
                        s ->
                                s.kind() != null
                                        && (s.kind().startsWith("solana-")
                                                || s.kind().equals("old-faithful")))
                .map(s -> s.id())
                .toList();
    }

    /** The overrides {@code perSource} gives for each source, one after the other. */
    public static List<String> eachSource(
            List<String> sources, Function<String, List<String>> perSource) {
        List<String> out = new ArrayList<>();
        for (String id : sources) {
            out.addAll(perSource.apply(id));
        }
        return out;
    }

    /**
     * The overrides that make every source in {@code sources} an {@code old-faithful} source
     * reading the six real blocks' archive at {@code path} ({@link #realArchive}), with slot
     * indexes in {@code indexDir}, {@code options} ({@code key=value}) more, and the
     * out-of-orderness such an archive needs ({@link RealBlocks#ARCHIVE_OUT_OF_ORDERNESS}).
     */
    public static List<String> realArchiveSources(
            List<String> sources, String path, Path indexDir, String... options) {
        List<String> out = new ArrayList<>();
        for (String id : sources) {
            String src = "sources." + id;
            out.addAll(
                    List.of(
                            src + ".kind=old-faithful",
                            src + ".options=",
                            src + ".options.path=" + path,
                            src + ".options.index_dir=" + indexDir));
            for (String o : options) {
                out.add(src + ".options." + o);
            }
        }
        out.add("event_time.max_out_of_orderness=" + RealBlocks.ARCHIVE_OUT_OF_ORDERNESS);
        return out;
    }

    /** The getBlock files of the six real blocks (base64 photon and base58 nyanbot responses). */
    public static List<Path> realBlockFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("photon-getblock-base64", "nyanbot-getblock-base58")) {
            files.addAll(blockFiles(RealBlocks.dir().resolve(dir)));
        }
        return files;
    }

    /** The {@code block_*} getBlock files in {@code dir}, sorted. */
    public static List<Path> blockFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("block_")).sorted().toList();
        }
    }

    /** The six real blocks converted to an Old Faithful archive at {@code car}. */
    public static Path realArchive(Path car) throws IOException {
        GetBlockArchive.Summary s = GetBlockArchive.convert(realBlockFiles(), car);
        assertThat(s.blocks()).isEqualTo(6);
        return car;
    }

    /** The job's window rows run as {@link SyntheticJobRun#run} runs it, {@link #comparable}. */
    public static List<String> windows(Path job, String source, Path tmp, List<String> overrides)
            throws Exception {
        return comparable(SyntheticJobRun.run(job, source, tmp, overrides));
    }

    /**
     * Rows, each {@link #rounded}, sorted: two runs' windows compare equal whatever their order.
     */
    public static List<String> comparable(List<JsonNode> rows) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(rounded(r));
        }
        out.sort(null);
        return out;
    }

    /** A row as text with floating-point numbers rounded to 9 digits. */
    public static String rounded(JsonNode n) {
        if (n.isFloatingPointNumber()) {
            return String.format("%.9g", n.asDouble());
        }
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(x -> items.add(rounded(x)));
            return items.toString();
        }
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            n.fieldNames()
                    .forEachRemaining(
                            f -> b.append(f).append('=').append(rounded(n.get(f))).append(','));
            return b.append('}').toString();
        }
        return n.toString();
    }

    /**
     * A job that reads one source {@code txs} of transactions by block time, with the default
     * out-of-orderness, and counts them per minute ({@code txs}) and whatever {@code
     * moreAggregates} adds, writing JSON Lines to {@code ${OUT}} with state in {@code ${STATE}}.
     *
     * @param kind the source kind
     * @param options the source's options, as a YAML flow map
     * @param moreAggregates more aggregates, each as a YAML flow map
     */
    public static String perMinuteJob(
            String name, String kind, String options, int parallelism, String... moreAggregates) {
        StringBuilder aggregates = new StringBuilder("{name: txs, fn: count}");
        for (String a : moreAggregates) {
            aggregates.append(", ").append(a);
        }
        return """
                name: %s
                event_time: {field: block_time, unit: seconds}
                sources:
                  - {id: txs, kind: %s, table: transactions, options: %s}
                stages:
                  - id: per_minute
                    kind: window
                    input: txs
                    window: {type: tumbling, size: 1m}
                    aggregates: [%s]
                sinks:
                  - {id: windows, kind: jsonl, input: per_minute, options: {path: "${OUT}"}}
                runtime: {parallelism: %d, checkpoint_interval: 1s, state_dir: "${STATE}"}
                """
                .formatted(name, kind, options, aggregates, parallelism);
    }

    /**
     * Runs {@code yaml} (its {@code ${OUT}} and {@code ${STATE}} under {@code tmp}, the other
     * variables from {@code env}) to its end, checks it read {@code rows} rows, dropped none as
     * late and warned of nothing, and returns its windows by start, each as {@code value} gives it;
     * a window that fires twice fails the test.
     */
    public static <V> Map<Long, V> readAllOnTime(
            String yaml, Map<String, String> env, Path tmp, long rows, Function<JsonNode, V> value)
            throws Exception {
        Map<String, String> vars = new TreeMap<>(env);
        vars.put("OUT", tmp.resolve("out").toString());
        vars.put("STATE", tmp.resolve("state").toString());
        PipelineLoader.Loaded loaded = PipelineLoader.parse(yaml, "job.yaml", List.of(), vars);
        RunResult result = SyntheticJobRun.runToEnd(loaded, tmp, RunOptions.defaults());
        assertThat(result.outcome())
                .as("failure: %s", result.failure())
                .isEqualTo(RunResult.Outcome.FINISHED);
        assertThat(result.metrics().recordsIn()).isEqualTo(rows);
        assertThat(result.metrics().lateDropped()).allSatisfy(c -> assertThat(c.rows()).isZero());
        assertThat(result.warnings()).isEmpty();

        Map<Long, V> windows = new TreeMap<>();
        for (JsonNode r : SyntheticJobRun.rows(tmp)) {
            V was = windows.put(r.get("window_start").asLong(), value.apply(r));
            assertThat(was).as("window %s fired twice", r).isNull();
        }
        return windows;
    }
}
