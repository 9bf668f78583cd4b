package io.ipdm.mesh.reqresp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestResponseTest {
    private static final String PROTO = "/ipdm/echo/1.0.0";
    private final Host server = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Host client = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private Connection connect() throws Exception {
        RequestResponse.serve(
                server,
                PROTO,
                1024,
                req -> {
                    String s = new String(req, StandardCharsets.UTF_8);
                    if (s.equals("fail")) {
                        return CompletableFuture.failedFuture(new IllegalStateException("no"));
                    }
                    return CompletableFuture.completedFuture(
                            ("echo:" + s).getBytes(StandardCharsets.UTF_8));
                });
        Multiaddr a = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        return client.dial(a).get(10, TimeUnit.SECONDS);
    }

    @Test
    void answersRequestsAndBoundsSizes() throws Exception {
        Connection c = connect();
        byte[] r =
                RequestResponse.request(
                                c,
                                PROTO,
                                "hi".getBytes(StandardCharsets.UTF_8),
                                100,
                                Duration.ofSeconds(10))
                        .get(10, TimeUnit.SECONDS);
        assertThat(new String(r, StandardCharsets.UTF_8)).isEqualTo("echo:hi");
        assertThatThrownBy(
                        () ->
                                RequestResponse.request(
                                                c,
                                                PROTO,
                                                new byte[2000],
                                                100,
                                                Duration.ofSeconds(10))
                                        .get(10, TimeUnit.SECONDS))
                .hasMessageContaining("the peer reset the stream (request failed)");
        assertThatThrownBy(
                        () ->
                                RequestResponse.request(
                                                c,
                                                PROTO,
                                                "fail".getBytes(StandardCharsets.UTF_8),
                                                100,
                                                Duration.ofSeconds(10))
                                        .get(10, TimeUnit.SECONDS))
                .hasMessageContaining("the peer reset the stream (request failed)");
        assertThatThrownBy(
                        () ->
                                RequestResponse.request(
                                                c,
                                                PROTO,
                                                "x".repeat(50).getBytes(StandardCharsets.UTF_8),
                                                10,
                                                Duration.ofSeconds(10))
                                        .get(10, TimeUnit.SECONDS))
                .hasMessageContaining(
                        PROTO + " response: message of 55 bytes exceeds the limit of 10");
    }

    @Test
    void unansweredRequestsCountAgainstTheConnectionsReceiveBudget() throws Exception {
        // Requests the server has not answered yet are held: past half the 8 MiB budget the
        // server stops reading, so a peer cannot pile up more work than that.
        java.util.List<CompletableFuture<byte[]>> pending =
                new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestResponse.serve(
                server,
                "/ipdm/slow/1.0.0",
                200 * 1024,
                req -> {
                    CompletableFuture<byte[]> f = new CompletableFuture<>();
                    pending.add(f);
                    return f;
                });
        Multiaddr a = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Connection c = client.dial(a).get(10, TimeUnit.SECONDS);
        int requests = 80; // 80 x 100 KiB = 8000 KiB offered
        java.util.List<CompletableFuture<byte[]>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(
                    RequestResponse.request(
                            c,
                            "/ipdm/slow/1.0.0",
                            new byte[100 * 1024],
                            10,
                            Duration.ofSeconds(60)));
        }
        // Reading stops at 4 MiB held (41 requests), give or take one socket read.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pending.size() < 41) {
            assertThat(System.nanoTime()).as("41 requests within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        Thread.sleep(500); // what the server would still read, it reads by now
        assertThat(pending.size()).isBetween(41, 43);
        // Answering frees the budget: reading resumes and every request is served.
        while (answers.stream().anyMatch(f -> !f.isDone())) {
            for (CompletableFuture<byte[]> f : pending) {
                f.complete(new byte[] {1});
            }
            assertThat(System.nanoTime() - deadline)
                    .as("all answered")
                    .isLessThan(TimeUnit.SECONDS.toNanos(60));
            Thread.sleep(10);
        }
        for (CompletableFuture<byte[]> f : answers) {
            assertThat(f.get()).containsExactly(1);
        }
        assertThat(pending).hasSize(requests);
    }
}
