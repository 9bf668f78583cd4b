package io.ipdm.dataflow.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The Prometheus scrape endpoint of {@code ipdm run --metrics-port}: Flink's Prometheus reporter
 * (flink-metrics-prometheus, every metric of the JobManager, TaskManager and job as {@code
 * flink_*}) served on a chosen address. Flink's own {@code PrometheusReporter} always binds every
 * interface; this one binds {@code host} (default all interfaces as well), so tests can stay on
 * loopback.
 *
 * @param host the address to bind, e.g. 0.0.0.0 or 127.0.0.1
 * @param port the TCP port (0: any free one)
 */
public record PrometheusEndpoint(String host, int port) {
    static final String REPORTER = "metrics.reporter.ipdm_prometheus.";

    /** Adds the reporter to a cluster configuration. */
    public void apply(Configuration c) {
        set(c, REPORTER + "factory.class", Factory.class.getName());
        set(c, REPORTER + "host", host);
        set(c, REPORTER + "port", Integer.toString(port));
    }

    private static void set(Configuration c, String key, String value) {
        c.set(ConfigOptions.key(key).stringType().noDefaultValue(), value);
    }

    /** Why a metrics endpoint could not bind {@code host:port}, and what to do. */
    public static UncheckedIOException bindError(String host, int port, IOException e) {
        return new UncheckedIOException(
                "cannot serve Prometheus metrics on "
                        + host
                        + ":"
                        + port
                        + " ("
                        + e.getMessage()
                        + "); choose another --metrics-port",
                e);
    }

    /** The scrape URL to print. */
    public String url() {
        String h = host.equals("0.0.0.0") ? "localhost" : host;
        return "http://" + h + ":" + port + "/metrics";
    }

    /** Flink instantiates reporters from {@code metrics.reporter.<name>.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            String host = properties.getProperty("host", "0.0.0.0");
            int port = Integer.parseInt(properties.getProperty("port", "9249"));
            return new Reporter(host, port);
        }
    }

    /** Flink's Prometheus collector registry, served by the Prometheus client's HTTP server. */
    static final class Reporter extends AbstractPrometheusReporter {
        private final io.prometheus.client.exporter.HTTPServer server;

        Reporter(String host, int port) {
            try {
                server =
                        new io.prometheus.client.exporter.HTTPServer(
                                new InetSocketAddress(host, port), registry(this), true);
            } catch (IOException e) {
                throw bindError(host, port, e);
            }
        }

        /**
         * The registry the reporter fills is package-private in Flink; read it reflectively rather
         * than copy the reporter (Flink's own PrometheusReporter binds every interface).
         */
        private static io.prometheus.client.CollectorRegistry registry(
                AbstractPrometheusReporter r) {
            try {
                Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
                f.setAccessible(true);
                return (io.prometheus.client.CollectorRegistry) f.get(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("flink-metrics-prometheus changed: " + e, e);
            }
        }

        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {
            server.stop();
            super.close();
        }
    }
}
