package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.Protocol;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ipdm node} listening on {@code /ws} (flag and config file): the address is bound, shown by
 * {@code ipdm node status}, and a peer dials it; {@code /wss} is refused before anything starts.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NodeWebSocketListenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNodeListensOnWsFromItsConfigFileAndIsDialedThere(@TempDir Path dir) throws Exception {
        Path lake = dir.resolve("lake");
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(
                cfg,
                "role: storage\nlake: "
                        + lake
                        + "\nlisten:\n  - /ip4/127.0.0.1/tcp/0\n  - /ip4/127.0.0.1/tcp/0/ws\n");
        CommandLine cl = IpdmCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        NodeCommand command = cl.getSubcommands().get("node").getCommand();
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> cl.execute("node", "--config", cfg.toString()));
        try {
            Path info = lake.resolve("node.json");
            for (int i = 0; i < 600 && !Files.exists(info); i++) {
                assertThat(exit.isDone()).as(err::toString).isFalse();
                Thread.sleep(100);
            }
            List<Multiaddr> addrs = new ArrayList<>();
            for (JsonNode a : JSON.readTree(Files.readString(info)).path("addresses")) {
                addrs.add(Multiaddr.parse(a.asText()));
            }
            assertThat(addrs).hasSize(2);
            Multiaddr ws = addrs.get(1);
            assertThat(ws.toString()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/12D3KooW.*");

            StringWriter status = new StringWriter();
            CommandLine st = IpdmCli.commandLine();
            st.setOut(new PrintWriter(status, true));
            st.setErr(new PrintWriter(err, true));
            assertThat(st.execute("node", "status", "--lake", lake.toString())).isZero();
            assertThat(status.toString()).contains("address           " + ws);

            try (Host peer = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults())) {
                Connection c = peer.dial(ws).get(20, TimeUnit.SECONDS);
                assertThat(c.remoteAddress().has(Protocol.WS)).isTrue();
                assertThat(Ping.ping(c).get(20, TimeUnit.SECONDS).isNegative()).isFalse();
            }
        } finally {
            command.stop.countDown();
        }
        assertThat(exit.get(1, TimeUnit.MINUTES)).as(err::toString).isZero();
        assertThat(out.toString())
                .containsPattern("listening /ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/");
    }

    @Test
    void secureWebSocketAddressesAreRefusedWithExitTwo(@TempDir Path dir) {
        CommandLine cl = IpdmCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(
                        cl.execute(
                                "node",
                                "--lake",
                                dir.toString(),
                                "--listen",
                                "/ip4/127.0.0.1/tcp/0/wss"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "ipdm node: secure WebSockets (/wss, /tls/ws) are not supported:"
                                + " /ip4/127.0.0.1/tcp/0/wss; this node speaks /ws without TLS");
        assertThat(dir.resolve("node.json")).doesNotExist();
    }
}
