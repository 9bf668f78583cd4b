package io.ipdm.dataflow.cli;

import io.ipdm.connectors.attest.NodeClient;
import io.ipdm.dataflow.compile.AttestTarget;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.JobIdentity;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.mesh.identity.KeyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --attest}, {@code --node} and {@code --key} of {@code ipdm run}: which node a job's
 * attestations go through and which key signs them.
 */
final class AttestOptions {
    @Option(
            names = "--attest",
            description =
                    "Attest every closed window of every windowed sink: its root CID, signed with"
                            + " --key, handed to the node (--node) that publishes it"
                            + " (runtime.attest: true does the same; docs/verification.md).")
    boolean attest;

    @Option(
            names = "--node",
            paramLabel = "DIR|URL",
            defaultValue = "${env:IPDM_LAKE_DIR:-.ipdm/lake}",
            description =
                    "The running ipdm node attestations go through: its lake directory or admin"
                            + " URL (default: $IPDM_LAKE_DIR or .ipdm/lake).")
    String node;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description =
                    "Key that signs attestations (default: $IPDM_HOME/identity.key or"
                            + " ~/.ipdm/identity.key, created when missing).")
    Path key;

    /** The default key file, as the other signing commands use it. */
    static Path defaultKey() {
        String home = System.getenv("IPDM_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).resolve("identity.key");
        }
        return Path.of(System.getProperty("user.home"), ".ipdm", "identity.key");
    }

    /** The key file, created when missing. */
    Path keyFile() {
        Path k = (key != null ? key : defaultKey()).toAbsolutePath();
        KeyFile.loadOrCreate(k);
        return k;
    }

    /**
     * Loads and compiles {@code file}; when attesting (flag or {@code runtime.attest}), hands the
     * job definition and modules to the node first and builds the attestation branches.
     *
     * @return the compiled pipeline and its identity
     */
    Attesting compile(Path file, List<String> sets) throws IOException {
        PipelineLoader.Loaded loaded = PipelineLoader.load(file, sets, System.getenv());
        Path cwd = Pipelines.cwd();
        Path moduleDir =
                file.toAbsolutePath().getParent() == null ? cwd : file.toAbsolutePath().getParent();
        JobIdentity id = JobIdentity.of(loaded, cwd, moduleDir);
        boolean on = attest || Boolean.TRUE.equals(loaded.spec().runtime().attest());
        if (!on) {
            return new Attesting(CompiledPipeline.compile(loaded, cwd), id, null);
        }
        NodeClient client = NodeClient.locate(node, Duration.ofSeconds(30));
        AttestTarget target =
                new AttestTarget(
                        client.admin().toString(),
                        keyFile().toString(),
                        id.cid().toString(),
                        false);
        CompiledPipeline compiled =
                CompiledPipeline.compile(
                        loaded, cwd, java.util.function.UnaryOperator.identity(), target);
        client.putBlocks(id.cid(), id.blocks());
        return new Attesting(compiled, id, client);
    }

    /** A compiled job, its identity, and the node it attests through (null: not attesting). */
    record Attesting(CompiledPipeline pipeline, JobIdentity identity, NodeClient node) {}
}
