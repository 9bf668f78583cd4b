package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ipdm lake serve} as its own process, with its limit options, against slow clients. */
class LakeServeProcessTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static String readToEnd(Socket s) throws IOException {
        s.setSoTimeout(30_000);
        InputStream in = s.getInputStream();
        StringBuilder out = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException e) {
            // reset after close: keep what came
        }
        return out.toString();
    }

    @Test
    void serveOptionsBoundSlowAndGreedyClients(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                IpdmCli.class.getName(),
                                "lake",
                                "--dir",
                                dir.resolve("lake").toString(),
                                "serve",
                                "--port",
                                "0",
                                "--request-timeout",
                                "2",
                                "--connections-per-client",
                                "2")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        List<Socket> sockets = new ArrayList<>();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).startsWith("gateway on http://127.0.0.1:");
            int port =
                    Integer.parseInt(
                            line.substring(
                                    "gateway on http://127.0.0.1:".length(),
                                    line.indexOf(' ', 11)));

            // two half-sent requests from 127.0.0.2 fill its quota; a third is refused at once
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                s.connect(new InetSocketAddress(LOOPBACK, port));
                s.getOutputStream().write("GET /ipfs/".getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            try (Socket ok = new Socket(LOOPBACK, port)) {
                ok.getOutputStream()
                        .write(
                                ("GET /ipfs/bafkqaaa?format=raw HTTP/1.1\r\nHost: x\r\n"
                                                + "Connection: close\r\n\r\n")
                                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readToEnd(ok)).startsWith("HTTP/1.1 200 OK");
            }
            List<String> answers = new ArrayList<>();
            for (Socket s : sockets) {
                answers.add(readToEnd(s));
            }
            assertThat(answers.stream().filter(a -> a.startsWith("HTTP/1.1 408"))).hasSize(2);
            assertThat(answers.stream().filter(a -> a.startsWith("HTTP/1.1 429"))).hasSize(1);
            assertThat(answers.stream().filter(a -> a.startsWith("HTTP/1.1 408")).findFirst())
                    .hasValueSatisfying(
                            a ->
                                    assertThat(a)
                                            .endsWith(
                                                    "the request did not arrive whole within 2000 ms\n"));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
