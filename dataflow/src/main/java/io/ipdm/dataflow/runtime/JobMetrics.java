package io.ipdm.dataflow.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.operators.wasm.WasmOperators;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * A point-in-time view of the job. {@code watermark} is Long.MIN_VALUE when none yet; {@code
     * recordsOut} is the sum over {@code sinks}.
     */
    public record Snapshot(
            long recordsIn,
            long recordsOut,
            long watermark,
            long checkpoints,
            long lastCheckpointAt,
            List<SinkCount> sinks,
            long deadLetters) {
        public Snapshot(
                long recordsIn,
                long recordsOut,
                long watermark,
                long checkpoints,
                long lastCheckpointAt,
                List<SinkCount> sinks) {
            this(recordsIn, recordsOut, watermark, checkpoints, lastCheckpointAt, sinks, 0);
        }
    }

    /**
     * Rows that reached one sink's writer.
     *
     * @param where what the sink writes to, from its operator name (e.g. "jsonl out/")
     */
    public record SinkCount(String id, String where, long rows) {}

    /** "Sink: ID (WHERE)" in a vertex name (WHERE optional, up to ": Writer"/" ->"). */
    private static final Pattern SINK = Pattern.compile("Sink: (\\S+)(?: \\((.*?)\\))?(?=:|$| ->)");

    public JobMetrics(URI restAddress, String jobId) {
        this.base = restAddress;
        this.jobId = jobId;
    }

    public Snapshot snapshot() throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        long in = 0;
        long deadLetters = 0;
        Map<String, SinkCount> sinks = new LinkedHashMap<>();
        long watermark = Long.MAX_VALUE;
        for (JsonNode v : job.path("vertices")) {
            String name = v.path("name").asText();
            String vid = v.path("id").asText();
            boolean source = name.startsWith("Source: ");
            boolean sink = name.contains("Sink: ");
            boolean wasm = name.contains("wasm ");
            List<String> names = source || sink || wasm ? metricNames(vid) : List.of();
            deadLetters += sum(vid, names, "", "." + WasmOperators.DEAD_LETTERS);
            if (source || sink) {
                if (source) {
                    in += sum(vid, names, "Source__", ".numRecordsOut");
                }
                if (sink) {
                    Matcher m = SINK.matcher(name);
                    java.util.Set<String> inVertex = new java.util.HashSet<>();
                    while (m.find()) {
                        String id = m.group(1);
                        if (!inVertex.add(id)) {
                            continue; // its writer and committer are both in the name
                        }
                        // metric names are operator names with every other character as '_'
                        String prefix = metricName("Sink: " + id + " ");
                        long rows = 0;
                        List<String> writer = new ArrayList<>();
                        for (String n : names) {
                            if ((n.startsWith(prefix)
                                            || n.equals(
                                                    metricName("Sink: " + id) + ".numRecordsIn"))
                                    && n.endsWith(".numRecordsIn")
                                    && !n.contains("Committer")) {
                                writer.add(n);
                            }
                        }
                        // one operator's counter (a sink can report numRecordsIn under two
                        // names, e.g. with and without its writer scope): the shortest name
                        writer.sort(java.util.Comparator.comparingInt(String::length));
                        rows = sum(vid, writer.isEmpty() ? writer : writer.subList(0, 1));
                        sinks.merge(
                                id,
                                new SinkCount(id, m.group(2) == null ? "" : m.group(2), rows),
                                (a, b) -> new SinkCount(a.id(), a.where(), a.rows() + b.rows()));
                    }
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
        long out = 0;
        for (SinkCount c : sinks.values()) {
            out += c.rows();
        }
        return new Snapshot(
                in,
                out,
                watermark == Long.MAX_VALUE ? Long.MIN_VALUE : watermark,
                count,
                at,
                List.copyOf(sinks.values()),
                deadLetters);
    }

    static String metricName(String operatorName) {
        return operatorName.replaceAll("[^A-Za-z0-9_\\-]", "_");
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
        return sum(vid, wanted);
    }

    private long sum(String vid, List<String> wanted) throws IOException, InterruptedException {
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
