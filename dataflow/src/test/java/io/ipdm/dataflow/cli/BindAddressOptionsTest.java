package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A port out of range or a host that names no address is bad input (exit 2) named by its flag, for
 * {@code ipdm lake serve} and {@code ipdm node}, before anything is started (they were exit 1 with
 * "port out of range:70000" or "cannot serve the gateway on 999.1.1.1/<unresolved>:8080: null").
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BindAddressOptionsTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        err.getBuffer().setLength(0);
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void lakeServeRefusesABadPortOrHost(@TempDir Path dir) {
        String lake = dir.resolve("lake").toString();
        assertThat(run("lake", "--dir", lake, "serve", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("ipdm lake: --port: expected 0-65535, got 70000\n");
        assertThat(run("lake", "--dir", lake, "serve", "--port", "-1")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("ipdm lake: --port: expected 0-65535, got -1\n");
        assertThat(run("lake", "--dir", lake, "serve", "--host", "999.1.1.1")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "ipdm lake: --host: '999.1.1.1' is not an address of this machine nor a"
                                + " name that resolves to one");
    }

    @Test
    void nodeRefusesABadGatewayOrAdminPortOrGatewayHost(@TempDir Path dir) {
        String lake = dir.resolve("lake").toString();
        assertThat(run("node", "--lake", lake, "--gateway-port", "70000")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("ipdm node: --gateway-port: expected 0-65535, got 70000\n");
        assertThat(run("node", "--lake", lake, "--admin-port", "-2")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("ipdm node: --admin-port: expected 0-65535, got -2\n");
        assertThat(run("node", "--lake", lake, "--gateway-host", "999.1.1.1")).isEqualTo(2);
        assertThat(err.toString()).startsWith("ipdm node: --gateway-host: '999.1.1.1' is not an");
    }
}
