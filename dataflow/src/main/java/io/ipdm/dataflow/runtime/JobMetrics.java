package io.ipdm.dataflow.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a running job's counters from the Flink REST API (what the Web UI shows): rows read by
 * sources, rows written by sinks, the lowest watermark, the last completed checkpoint.
 */
public final class JobMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;
    private final String jobId;

    /** A point-in-time view of the job. {@code watermark} is Long.MIN_VALUE when none yet. */
    public record Snapshot(
            long recordsIn,
            long recordsOut,
            long watermark,
            long checkpoints,
            long lastCheckpointAt) {}

    public JobMetrics(URI restAddress, String jobId) {
        this.base = restAddress;
        this.jobId = jobId;
    }

    public Snapshot snapshot() throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        long in = 0;
        long out = 0;
        long watermark = Long.MAX_VALUE;
        for (JsonNode v : job.path("vertices")) {
            String name = v.path("name").asText();
            String vid = v.path("id").asText();
            boolean source = name.startsWith("Source: ");
            boolean sink = name.contains("Sink: ");
            if (source || sink) {
                List<String> names = metricNames(vid);
                if (source) {
                    in += sum(vid, names, "Source__", ".numRecordsOut");
                }
                if (sink) {
                    out += sum(vid, names, "Sink__", ".numRecordsIn");
                }
            }
            if (!source) {
                for (JsonNode w : get("/jobs/" + jobId + "/vertices/" + vid + "/watermarks")) {
                    long value = w.path("value").asLong(Long.MIN_VALUE);
                    watermark = Math.min(watermark, value);
                }
            }
        }
        JsonNode cp = get("/jobs/" + jobId + "/checkpoints");
        long count = cp.path("counts").path("completed").asLong(0);
        long at = cp.path("latest").path("completed").path("latest_ack_timestamp").asLong(0);
        return new Snapshot(
                in, out, watermark == Long.MAX_VALUE ? Long.MIN_VALUE : watermark, count, at);
    }

    private List<String> metricNames(String vid) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vid + "/subtasks/metrics")) {
            names.add(m.path("id").asText());
        }
        return names;
    }

    private long sum(String vid, List<String> names, String prefix, String suffix)
            throws IOException, InterruptedException {
        List<String> wanted = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(prefix) && n.endsWith(suffix)) {
                wanted.add(n);
            }
        }
        if (wanted.isEmpty()) {
            return 0;
        }
        long total = 0;
        JsonNode values =
                get(
                        "/jobs/"
                                + jobId
                                + "/vertices/"
                                + vid
                                + "/subtasks/metrics?agg=sum&get="
                                + String.join(",", wanted));
        for (JsonNode m : values) {
            total += (long) m.path("sum").asDouble(0);
        }
        return total;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest req =
                HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + resp.statusCode());
        }
        return JSON.readTree(resp.body());
    }
}
