package io.ipdm.mesh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {
    @Test
    void writesTheTextExpositionFormat() {
        MetricRegistry r = new MetricRegistry();
        MetricRegistry.Counter c = r.counter("ipdm_node_challenges_sent_total", "Challenges sent.");
        r.gauge("ipdm_node_peers", "Connected peers.", () -> 3);
        Map<String, Integer> mesh = new LinkedHashMap<>();
        mesh.put("blocks", 2);
        mesh.put("we\"ird\\topic\n", 1);
        r.family(
                "ipdm_node_gossipsub_mesh_peers",
                "Mesh peers per topic.",
                MetricRegistry.Type.GAUGE,
                "topic",
                () -> mesh);
        c.inc();
        c.add(4);
        assertThat(r.scrape())
                .isEqualTo(
                        """
                        # HELP ipdm_node_challenges_sent_total Challenges sent.
                        # TYPE ipdm_node_challenges_sent_total counter
                        ipdm_node_challenges_sent_total 5
                        # HELP ipdm_node_peers Connected peers.
                        # TYPE ipdm_node_peers gauge
                        ipdm_node_peers 3
                        # HELP ipdm_node_gossipsub_mesh_peers Mesh peers per topic.
                        # TYPE ipdm_node_gossipsub_mesh_peers gauge
                        ipdm_node_gossipsub_mesh_peers{topic="blocks"} 2
                        ipdm_node_gossipsub_mesh_peers{topic="we\\"ird\\\\topic\\n"} 1
                        """);
        assertThat(r.names())
                .containsExactly(
                        "ipdm_node_challenges_sent_total",
                        "ipdm_node_peers",
                        "ipdm_node_gossipsub_mesh_peers");
    }

    @Test
    void refusesBadAndDuplicateNames() {
        MetricRegistry r = new MetricRegistry();
        r.gauge("ipdm_x", "x", () -> 1);
        assertThatThrownBy(() -> r.gauge("ipdm_x", "again", () -> 2))
                .hasMessage("metric ipdm_x is already registered");
        assertThatThrownBy(() -> r.gauge("ipdm-x", "x", () -> 2))
                .hasMessage("bad metric name 'ipdm-x'; use [a-zA-Z_:][a-zA-Z0-9_:]*");
        assertThatThrownBy(() -> r.counter("ipdm_challenges", "x"))
                .hasMessage("counter ipdm_challenges must end in _total");
        assertThatThrownBy(() -> r.counter("ipdm_c_total", "x").add(-1))
                .hasMessage("a counter only grows, got -1");
    }

    @Test
    void aFailingSourceIsLeftOutOfThatScrapeOnly() {
        MetricRegistry r = new MetricRegistry();
        r.gauge(
                "ipdm_broken",
                "x",
                () -> {
                    throw new IllegalStateException("engine stopped");
                });
        r.gauge("ipdm_fine", "y", () -> 7);
        assertThat(r.scrape())
                .isEqualTo(
                        "# ipdm_broken unavailable: engine stopped\n"
                                + "# HELP ipdm_fine y\n# TYPE ipdm_fine gauge\nipdm_fine 7\n");
    }

    @Test
    void perScrapeReadsItsSourceOncePerScrape() {
        MetricRegistry r = new MetricRegistry();
        AtomicInteger reads = new AtomicInteger();
        Supplier<Integer> s = r.perScrape(reads::incrementAndGet);
        r.gauge("ipdm_a", "a", s::get);
        r.gauge("ipdm_b", "b", s::get);
        assertThat(r.scrape()).contains("ipdm_a 1\n").contains("ipdm_b 1\n");
        assertThat(r.scrape()).contains("ipdm_a 2\n").contains("ipdm_b 2\n");
        assertThat(reads).hasValue(2);
    }

    @Test
    void endpointServesTheRegistry() throws Exception {
        MetricRegistry r = new MetricRegistry();
        MetricRegistry.Counter c = r.counter("ipdm_node_things_total", "Things.");
        try (MetricsEndpoint e = MetricsEndpoint.start(r, "127.0.0.1", 0)) {
            c.add(41);
            c.inc();
            HttpResponse<String> got =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(e.url())).build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(got.body()).contains("\nipdm_node_things_total 42\n");
            assertThatThrownBy(() -> MetricsEndpoint.start(r, "127.0.0.1", e.port()))
                    .hasMessageStartingWith(
                            "cannot serve Prometheus metrics on 127.0.0.1:" + e.port());
        }
    }
}
