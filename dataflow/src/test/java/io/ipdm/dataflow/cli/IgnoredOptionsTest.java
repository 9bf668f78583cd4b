package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * An option that would do nothing where it is given is refused (exit 2) with what to add or drop,
 * before anything runs; none of these needs a running node or cluster.
 */
class IgnoredOptionsTest extends CommandLineTest {
    private static final String CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

    private void refused(String message, String... args) {
        assertThat(run(args)).as("%s: %s", String.join(" ", args), err).isEqualTo(2);
        assertThat(err.toString()).as(String.join(" ", args)).contains(message);
        err.getBuffer().setLength(0);
        out.getBuffer().setLength(0);
    }

    private static Path pipeline(Path dir, String runtime) throws Exception {
        return pipeline(dir, "p.yaml", "{slots: 1}", runtime);
    }

    private static Path pipeline(Path dir, String name, String options, String runtime)
            throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(
                f,
                """
                name: p
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions, options: %s}
                sinks:
                  - {id: out, kind: terminal, input: txs}
                runtime: {%s}
                """
                        .formatted(options, runtime));
        return f;
    }

    @Test
    void runRefusesAttestAndMetricsOptionsThatWouldDoNothing(@TempDir Path dir) throws Exception {
        String p = pipeline(dir, "state_dir: " + dir.resolve("state")).toString();
        refused(
                "--node only applies when attesting; add --attest (or runtime.attest: true) or"
                        + " drop --node",
                "run",
                "-q",
                p,
                "--node",
                dir.toString());
        refused(
                "--key only applies when attesting",
                "run",
                "-q",
                p,
                "--key",
                dir.resolve("k.key").toString());
        refused(
                "--metrics-host binds the metrics endpoint; add --metrics-port PORT (or"
                        + " runtime.metrics_port)",
                "run",
                "-q",
                p,
                "--metrics-host",
                "127.0.0.1");
        assertThat(dir.resolve("k.key")).as("no key created for nothing").doesNotExist();
    }

    @Test
    void submitSaysWhatACusterJobCannotDo(@TempDir Path dir) throws Exception {
        String p = pipeline(dir, "").toString();
        String jm = "127.0.0.1:1"; // nothing listens: every refusal comes before the cluster
        refused(
                "--allow-non-restored-state only applies when resuming; add --from-savepoint PATH",
                "submit",
                p,
                "--jobmanager",
                jm,
                "--allow-non-restored-state");
        refused(
                "ipdm submit: --attest: a cluster job cannot attest: attestations are signed with a"
                        + " key on this machine and handed to a node's admin endpoint on"
                        + " 127.0.0.1, which the cluster's TaskManagers cannot reach. Run it with"
                        + " `ipdm run "
                        + p
                        + " --attest --node DIR`",
                "submit",
                p,
                "--jobmanager",
                jm,
                "--attest");
        String attested = pipeline(dir, "a.yaml", "{slots: 1}", "attest: true").toString();
        refused(
                "ipdm submit: " + attested + ":6:19: runtime.attest: a cluster job cannot attest",
                "submit",
                attested,
                "--jobmanager",
                jm);
        assertThat(run("submit", attested, "--jobmanager", jm)).isEqualTo(2);
        assertThat(err.toString()).contains("or set runtime.attest: false to submit it");
        err.getBuffer().setLength(0);
        refused(
                "--metrics-host binds the metrics endpoint",
                "submit",
                p,
                "--jobmanager",
                jm,
                "--metrics-host",
                "127.0.0.1");
    }

    @Test
    void nodeRefusesRoleOptionsWithoutTheRole(@TempDir Path dir) {
        String lake = dir.toString();
        refused(
                "ipdm node: --repair-interval only applies to the storage role; add --role storage"
                        + " or drop it",
                "node",
                "--lake",
                lake,
                "--role",
                "gateway",
                "--repair-interval",
                "5s");
        refused(
                "--provide only applies to the storage role",
                "node",
                "--lake",
                lake,
                "--role",
                "verifier",
                "--provide",
                "all");
        refused(
                "ipdm node: --gateway-port only applies to the gateway and processing roles",
                "node",
                "--lake",
                lake,
                "--role",
                "storage",
                "--gateway-port",
                "0");
        refused(
                "ipdm node: --metrics-host binds the metrics endpoint; add --metrics-port PORT",
                "node",
                "--lake",
                lake,
                "--metrics-host",
                "127.0.0.1");
        refused(
                "ipdm node: --metrics-interval sets how often -v prints a status line; add -v",
                "node",
                "--lake",
                lake,
                "--metrics-interval",
                "5");
        assertThat(dir.resolve("node.key")).as("nothing started").doesNotExist();
    }

    @Test
    void nodeConfigFileKeysAreCheckedTheSameWay(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(cfg, "role: storage\ngateway-host: 0.0.0.0\n");
        refused(
                "--gateway-host only applies to the gateway and processing roles",
                "node",
                "--lake",
                dir.toString(),
                "--config",
                cfg.toString());
    }

    @Test
    void otherCommandsRefuseOptionsTheirOtherOptionsWouldNeed(@TempDir Path dir) {
        refused("--markdown prints every kind's table", "kinds", "window", "--markdown");
        refused(
                "--seed seeds the rows of --rows N; add --rows N or drop --seed",
                "wasm",
                "check",
                dir.resolve("m.wasm").toString(),
                "--seed",
                "3");
        refused(
                "--read-timeout bounds reads from the network; add --network MULTIADDR/p2p/ID",
                "lake",
                "--dir",
                dir.toString(),
                "get",
                CID,
                "--read-timeout",
                "5s");
        refused(
                "ipdm verify: --gateway serves the row proof of --row; add --row JSON or drop"
                        + " --gateway",
                "verify",
                CID,
                "--node",
                "http://127.0.0.1:1",
                "--gateway",
                "http://127.0.0.1:1");
        refused(
                "a subcommand is required: subscribe, unsubscribe, status, ranking, simulate",
                "net");
    }

    @Test
    void sourceOptionsThatWouldDoNothingAreRefusedAtTheirPosition(@TempDir Path dir)
            throws Exception {
        Path two = pipeline(dir, "two.yaml", "{slots: 10, duration: 1m}", "");
        refused(
                two
                        + ":3:91: sources.txs.options.duration: give one of end_slot, slots,"
                        + " duration to bound the chain, not slots and duration",
                "validate",
                two.toString());
        Path late = pipeline(dir, "late.yaml", "{slots: 10, late_by: 30s}", "");
        refused(
                late
                        + ":3:90: sources.txs.options.late_by: late_by moves the late_fraction rows"
                        + " back, and late_fraction is 0; set late_fraction (e.g. 0.01) or drop"
                        + " late_by",
                "validate",
                late.toString());
    }

    /** Every option says what it does in --help. */
    @Test
    void everyOptionIsDescribed() {
        List<String> bare = new ArrayList<>();
        for (CommandLine c : IpdmCli.tree(IpdmCli.commandLine())) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (String.join("", o.description()).isBlank()) {
                    bare.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
                }
            }
        }
        assertThat(bare).isEmpty();
    }
}
