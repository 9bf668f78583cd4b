package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port another process holds stops {@code ipdm node} with a message naming the address and what
 * to do (it was a bare "ipdm node: Address already in use" for the libp2p listener and the status
 * endpoint), and no node.json is left behind.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NodePortInUseTest extends CommandLineTest {
    @Test
    void aListenAddressInUseIsNamed(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path lake = dir.resolve("lake");
            int code =
                    run(
                            "node",
                            "--role",
                            "storage",
                            "--lake",
                            lake.toString(),
                            "--listen",
                            "/ip4/127.0.0.1/tcp/" + port);
            assertThat(code).isEqualTo(IpdmCli.JOB_FAILED);
            assertThat(err.toString())
                    .startsWith("ipdm node: cannot listen on /ip4/127.0.0.1/tcp/" + port + ": ")
                    .contains("Address already in use", "port 0 picks any free one");
            assertThat(Files.exists(lake.resolve("node.json"))).isFalse();
        }
    }

    @Test
    void anAdminPortInUseIsNamed(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path lake = dir.resolve("lake");
            int code =
                    run(
                            "node",
                            "--role",
                            "storage",
                            "--lake",
                            lake.toString(),
                            "--listen",
                            "/ip4/127.0.0.1/tcp/0",
                            "--admin-port",
                            String.valueOf(port));
            assertThat(code).isEqualTo(IpdmCli.JOB_FAILED);
            assertThat(err.toString())
                    .startsWith("ipdm node: cannot serve the status endpoint on 127.0.0.1:" + port)
                    .contains("Address already in use", "--admin-port");
            assertThat(Files.exists(lake.resolve("node.json"))).isFalse();
        }
    }
}
