package io.ipdm.dataflow.cli;

import io.ipdm.connectors.attest.NodeClient;
import io.ipdm.dataflow.compile.AttestTarget;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.JobIdentity;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --attest} and {@code --node} of {@code ipdm run}: which node a job's attestations go
 * through ({@link KeyOptions} says which key signs them).
 */
final class AttestOptions {
    @Option(
            names = "--attest",
            description =
                    "Attest every closed window of every windowed sink: its root CID, signed with"
                            + " --key, handed to the node (--node) that publishes it"
                            + " (runtime.attest: true does the same; docs/verification.md).")
    boolean attest;

    /** The running node attestations go through. */
    @Mixin NodeOption node;

    /**
     * Loads and compiles {@code file}; when attesting (flag or {@code runtime.attest}), hands the
     * job definition and modules to the node first and builds the attestation branches.
     *
     * @return the compiled pipeline and its identity
     */
    Attesting compile(Path file, List<String> sets, KeyOptions keys, PrintWriter err)
            throws IOException {
        PipelineLoader.Loaded loaded = PipelineLoader.load(file, sets, System.getenv());
        Path cwd = Pipelines.cwd();
        Path moduleDir =
                file.toAbsolutePath().getParent() == null ? cwd : file.toAbsolutePath().getParent();
        JobIdentity id = JobIdentity.of(loaded, cwd, moduleDir);
        boolean on = attest || Boolean.TRUE.equals(loaded.spec().runtime().attest());
        if (!on) {
            return new Attesting(CompiledPipeline.compile(loaded, cwd), id, null);
        }
        NodeClient client = NodeClient.locate(node.node, Duration.ofSeconds(30));
        AttestTarget target =
                new AttestTarget(
                        client.admin().toString(),
                        keys.load(err).file().toAbsolutePath().toString(),
                        id.cid().toString(),
                        false);
        CompiledPipeline compiled =
                CompiledPipeline.compile(
                        loaded, cwd, java.util.function.UnaryOperator.identity(), target);
        handJob(client, id);
        return new Attesting(compiled, id, client);
    }

    /**
     * Stores the job definition and each module on the node, each pinned, so its storage role
     * announces them and a verifier anywhere can fetch them by CID.
     */
    static void handJob(NodeClient client, JobIdentity id) throws IOException {
        for (io.ipdm.lakes.Block b : id.blocks()) {
            client.putBlocks(b.cid(), List.of(b));
        }
    }

    /** A compiled job, its identity, and the node it attests through (null: not attesting). */
    record Attesting(CompiledPipeline pipeline, JobIdentity identity, NodeClient node) {}
}
