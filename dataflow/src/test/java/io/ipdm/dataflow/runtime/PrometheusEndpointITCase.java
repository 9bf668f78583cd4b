package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.validate.PipelineLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipdm run --metrics-port}: while a job runs, its Prometheus endpoint serves the job's
 * record counters in the text format, and they rise between scrapes.
 */
class PrometheusEndpointITCase {
    static final String PIPELINE =
            """
            name: metrics
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 3, duration: 3m, transactions_per_slot: 50, target_rate: 1000}
            stages:
              - id: per_minute
                kind: window
                input: txs
                window: {type: tumbling, size: 1m}
                aggregates: [{name: n, fn: count}]
            sinks:
              - {id: out, kind: jsonl, input: per_minute, options: {path: "${OUT}"}}
            runtime: {parallelism: 1, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    static final String COUNTER = "flink_taskmanager_job_task_numRecordsOut";

    /** The sum of the source task's numRecordsOut samples in a scrape. */
    static long sourceRecordsOut(String body) {
        long sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(COUNTER + "{") && line.contains("task_name=\"Source:_txs")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Test
    void endpointServesRisingRecordCounters(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(
                        PIPELINE,
                        "metrics.yaml",
                        List.of(),
                        Map.of(
                                "OUT", tmp.resolve("out").toString(),
                                "STATE", tmp.resolve("state").toString()));
        PrometheusEndpoint endpoint = new PrometheusEndpoint("127.0.0.1", port);
        HttpClient http = HttpClient.newHttpClient();
        List<Long> seen = new ArrayList<>();
        String last = "";
        try (LocalRunner runner =
                new LocalRunner(
                        CompiledPipeline.compile(loaded, tmp),
                        RunOptions.defaults().withProgress(false).withMetrics(endpoint))) {
            runner.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && risesIn(seen) < 3) {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(endpoint.url())).build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                last = r.body();
                seen.add(sourceRecordsOut(last));
                Thread.sleep(500);
            }
        }
        assertThat(risesIn(seen))
                .as("rises of %s in %s; last scrape:%n%s", COUNTER, seen, last)
                .isGreaterThanOrEqualTo(3);
        assertThat(last).contains("# TYPE " + COUNTER + " gauge");
    }

    private static int risesIn(List<Long> values) {
        int rises = 0;
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) > values.get(i - 1)) {
                rises++;
            }
        }
        return rises;
    }
}
