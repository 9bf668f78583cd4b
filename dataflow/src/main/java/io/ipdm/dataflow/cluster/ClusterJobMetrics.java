package io.ipdm.dataflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.dataflow.runtime.PrometheusEndpoint;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;

/**
 * The Prometheus endpoint of {@code ipdm submit --metrics-port}: a job on a session cluster runs in
 * other JVMs, so every scrape reads the job's metrics from the JobManager's REST API ({@code
 * /jobs/ID}, {@code /jobs/ID/vertices/V/metrics?get=...}, {@code /jobs/ID/metrics?get=...}) and
 * answers them under the names Flink's Prometheus reporter gives them in {@code ipdm run} ({@code
 * flink_taskmanager_job_task_numRecordsIn{job_id,job_name,task_name,subtask_index}}, ...). The
 * JobManager refreshes what its REST API reports every {@code metrics.fetcher.update-interval}.
 */
public final class ClusterJobMetrics extends Collector implements AutoCloseable {
    static final List<String> TASK_METRICS =
            List.of(
                    "numRecordsIn",
                    "numRecordsOut",
                    "numBytesIn",
                    "numBytesOut",
                    "numRecordsInPerSecond",
                    "numRecordsOutPerSecond");
    static final List<String> JOB_METRICS =
            List.of(
                    "numberOfCompletedCheckpoints",
                    "numberOfFailedCheckpoints",
                    "lastCheckpointDuration",
                    "lastCheckpointSize",
                    "numRestarts",
                    "uptime");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobManagerAddress jobManager;
    private final JobID job;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HTTPServer server;

    /**
     * Starts serving {@code http://host:port/metrics} for {@code job}.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    public ClusterJobMetrics(JobManagerAddress jobManager, JobID job, String host, int port) {
        this.jobManager = jobManager;
        this.job = job;
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(this);
        try {
            server = new HTTPServer(new InetSocketAddress(host, port), registry, true);
        } catch (IOException e) {
            throw PrometheusEndpoint.bindError(host, port, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public List<MetricFamilySamples> collect() {
        try {
            return read();
        } catch (IOException e) {
            // the JobManager is away (restarting, or the job just ended): an empty scrape,
            // which Prometheus shows as absent data rather than as zeros
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private List<MetricFamilySamples> read() throws IOException, InterruptedException {
        JsonNode details = get("/jobs/" + job);
        String jobName = details.path("name").asText();
        Map<String, List<MetricFamilySamples.Sample>> task = new LinkedHashMap<>();
        List<String> taskLabels =
                List.of("job_id", "job_name", "task_id", "task_name", "subtask_index");
        for (JsonNode v : details.path("vertices")) {
            String vid = v.path("id").asText();
            String name = v.path("name").asText();
            int parallelism = v.path("parallelism").asInt();
            List<String> wanted = new ArrayList<>();
            for (int i = 0; i < parallelism; i++) {
                for (String m : TASK_METRICS) {
                    wanted.add(i + "." + m);
                }
            }
            for (JsonNode m : metrics("/jobs/" + job + "/vertices/" + vid + "/metrics", wanted)) {
                String id = m.path("id").asText();
                int dot = id.indexOf('.');
                String metric = "flink_taskmanager_job_task_" + id.substring(dot + 1);
                task.computeIfAbsent(metric, k -> new ArrayList<>())
                        .add(
                                new MetricFamilySamples.Sample(
                                        metric,
                                        taskLabels,
                                        List.of(
                                                job.toString(),
                                                jobName,
                                                vid,
                                                name,
                                                id.substring(0, dot)),
                                        value(m)));
            }
        }
        List<MetricFamilySamples> out = new ArrayList<>();
        for (Map.Entry<String, List<MetricFamilySamples.Sample>> e : task.entrySet()) {
            out.add(
                    new MetricFamilySamples(
                            e.getKey(), Type.GAUGE, help(e.getKey()), e.getValue()));
        }
        for (JsonNode m : metrics("/jobs/" + job + "/metrics", JOB_METRICS)) {
            String metric = "flink_jobmanager_job_" + m.path("id").asText();
            out.add(
                    new MetricFamilySamples(
                            metric,
                            Type.GAUGE,
                            help(metric),
                            List.of(
                                    new MetricFamilySamples.Sample(
                                            metric,
                                            List.of("job_id", "job_name"),
                                            List.of(job.toString(), jobName),
                                            value(m)))));
        }
        return out;
    }

    private static String help(String metric) {
        return metric + " (from the JobManager's REST API)";
    }

    private static double value(JsonNode m) {
        try {
            return Double.parseDouble(m.path("value").asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private JsonNode metrics(String path, List<String> names)
            throws IOException, InterruptedException {
        return get(
                path
                        + "?get="
                        + URLEncoder.encode(String.join(",", names), StandardCharsets.UTF_8));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(jobManager.url() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        server.stop();
    }
}
