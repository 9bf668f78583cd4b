package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.LakeNode;
import io.ipdm.lakes.node.NodeConfig;
import io.ipdm.lakes.node.NodeRole;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipdm name publish} through one running node and {@code ipdm name resolve} through another,
 * found from their lake directories; bad input named.
 */
class NameCommandTest extends CommandLineTest {
    private static final String CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

    /** Each command's output alone in {@link #out} and {@link #err}. */
    @Override
    protected int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return super.run(args);
    }

    private static NodeConfig config(Path lake, List<Multiaddr> boot) {
        return NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), lake)
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                .bootstrap(boot)
                .readTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void publishedOnOneNodeAndResolvedOnAnother(@TempDir Path dir) throws Exception {
        Path la = dir.resolve("a");
        Path lb = dir.resolve("b");
        try (LakeNode a = LakeNode.start(config(la, List.of()), IpfsNetwork::install);
                LakeNode b =
                        LakeNode.start(config(lb, a.mesh().addresses()), IpfsNetwork::install)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (a.status().routingTableSize() == 0 || b.status().routingTableSize() == 0) {
                assertThat(System.nanoTime()).as("routing tables filled").isLessThan(deadline);
                Thread.sleep(20);
            }
            String name = a.mesh().peerId().toBase58();
            assertThat(
                            run(
                                    "name",
                                    "publish",
                                    CID,
                                    "--lifetime",
                                    "2h",
                                    "--ttl",
                                    "1m",
                                    "--node",
                                    la.toString()))
                    .as(err.toString())
                    .isZero();
            assertThat(out.toString())
                    .startsWith("published /ipns/" + name + " -> /ipfs/" + CID + " (sequence 0,")
                    .contains("stored by 1 DHT peers");
            assertThat(
                            run(
                                    "name",
                                    "resolve",
                                    "/ipns/" + a.mesh().peerId().toCidString(),
                                    "--node",
                                    lb.toString()))
                    .as(err.toString())
                    .isZero();
            assertThat(out.toString().strip()).isEqualTo("/ipfs/" + CID);
            assertThat(run("name", "publish", "/ipfs/" + CID, "--node", la.toString(), "--json"))
                    .isZero();
            assertThat(out.toString()).contains("\"sequence\":1");

            assertThat(run("name", "publish", "notacid", "--node", la.toString()))
                    .isEqualTo(IpdmCli.BAD_INPUT);
            assertThat(err.toString())
                    .startsWith("ipdm name publish: 'notacid' is neither a CID nor a path");
            assertThat(run("name", "publish", CID, "--lifetime", "72h", "--node", la.toString()))
                    .isEqualTo(IpdmCli.BAD_INPUT);
            assertThat(err.toString()).contains("at most 48h");
            assertThat(run("name", "resolve", "example.com", "--node", lb.toString()))
                    .isEqualTo(IpdmCli.BAD_INPUT);
            assertThat(err.toString())
                    .startsWith("ipdm name resolve: 'example.com' is not an IPNS name");
        }
        assertThat(
                        run(
                                "name",
                                "resolve",
                                "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
                                "--node",
                                la.toString()))
                .isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).contains("no node is running on " + la);
    }

    /**
     * A zero or negative --ttl or --lifetime is refused before any node is asked, exit 2, saying
     * what to give.
     */
    @Test
    void aTtlOrLifetimeThatIsNotPositiveIsAUsageError(@TempDir Path dir) {
        for (String[] bad :
                new String[][] {{"--ttl", "0s"}, {"--ttl", "-5m"}, {"--lifetime", "PT0S"}}) {
            assertThat(
                            run(
                                    "name",
                                    "publish",
                                    CID,
                                    bad[0],
                                    bad[1],
                                    "--node",
                                    dir.resolve("none").toString()))
                    .as(err.toString())
                    .isEqualTo(2);
            assertThat(err.toString())
                    .contains(bad[0])
                    .contains(
                            "'"
                                    + bad[1]
                                    + "' is not a positive duration: give one like 30s, 2m or 1h");
        }
    }
}
