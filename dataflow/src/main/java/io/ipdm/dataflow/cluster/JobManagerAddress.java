package io.ipdm.dataflow.cluster;

import java.time.Duration;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;

/** The REST endpoint of a Flink JobManager, as given by {@code --jobmanager HOST:PORT}. */
public record JobManagerAddress(String host, int port) {

    public JobManagerAddress {
        if (host.isBlank()) {
            throw new IllegalArgumentException("JobManager host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "JobManager port must be within 1..65535, got " + port);
        }
    }

    /** Parses {@code HOST:PORT} (an {@code http://} prefix and a trailing slash are accepted). */
    public static JobManagerAddress parse(String text) {
        String s = text.trim();
        if (s.startsWith("http://")) {
            s = s.substring("http://".length());
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException(
                    "--jobmanager must be HOST:PORT of the Flink REST endpoint (e.g."
                            + " localhost:8081), got '"
                            + text
                            + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--jobmanager port is not a number in '" + text + "'; expected HOST:PORT");
        }
        return new JobManagerAddress(s.substring(0, colon), port);
    }

    public String url() {
        return "http://" + host + ":" + port;
    }

    /** A REST client for this endpoint; the caller closes it. */
    public RestClusterClient<String> client() {
        Configuration c = new Configuration();
        c.set(RestOptions.ADDRESS, host);
        c.set(RestOptions.PORT, port);
        // Flink's default retries for 20 s; a wrong address should fail within seconds.
        c.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
        c.set(RestOptions.RETRY_DELAY, Duration.ofMillis(500));
        try {
            return new RestClusterClient<>(c, "ipdm");
        } catch (Exception e) {
            throw new ClusterException("cannot create a REST client for " + url(), e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
