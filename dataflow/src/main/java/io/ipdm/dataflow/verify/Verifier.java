package io.ipdm.dataflow.verify;

import io.ipdm.dataflow.compile.AttestTarget;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.JobIdentity;
import io.ipdm.dataflow.runtime.LocalRunner;
import io.ipdm.dataflow.runtime.RunOptions;
import io.ipdm.dataflow.runtime.RunResult;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.verify.Attestation;
import io.ipdm.lakes.verify.AttestationBook;
import io.ipdm.lakes.verify.AttestationService;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import io.ipdm.wasm.ModuleCid;
import io.ipdm.wasm.ModuleStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verifier role: for each job another key attests, once per job CID, fetch the job definition
 * and its modules by CID through the node's read path (lake, then DHT and Bitswap), check that the
 * definition reproduces its CID, re-run it on an embedded MiniCluster through the same {@link
 * CompiledPipeline} path as {@code ipdm run} with the sinks left out and every windowed sink
 * attested, and hand this node's own attestations to the node. Jobs whose sources are live or read
 * local files ({@link JobIdentity#notReproducible()}) are skipped with the reason. Re-runs happen
 * one at a time on the verifier's own thread.
 */
public final class Verifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

    private final AttestationService service;
    private final BlockSource reads;
    private final String admin;
    private final Path keyFile;
    private final PeerId self;
    private final Path workDir;
    private final ModuleStore modules;
    private final ExecutorService runs;
    private final Map<Cid, String> outcomes = new ConcurrentHashMap<>();
    private final Set<Cid> seen = ConcurrentHashMap.newKeySet();

    /**
     * @param service the node's attestations (watched, and where this verifier's go)
     * @param reads the node's read path
     * @param admin the node's admin URL (re-runs attest through it, as any job does)
     * @param keyFile the key this verifier signs with
     * @param self that key's peer id (its own attestations are not re-run)
     * @param workDir where re-runs keep their state
     * @param modules where fetched modules are stored by CID
     */
    public Verifier(
            AttestationService service,
            BlockSource reads,
            String admin,
            Path keyFile,
            PeerId self,
            Path workDir,
            ModuleStore modules) {
        this.service = service;
        this.reads = reads;
        this.admin = admin;
        this.keyFile = keyFile;
        this.self = self;
        this.workDir = workDir;
        this.modules = modules;
        this.runs =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "ipdm-verifier");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Starts watching: attestations already held and every new one. */
    public Verifier start() {
        service.book()
                .listen(
                        new AttestationBook.Listener() {
                            @Override
                            public void accepted(PeerId author, Attestation a, SignedRecord r) {
                                consider(author, a);
                            }
                        });
        for (SignedRecord r : service.book().records()) {
            consider(r.authorId(), Attestation.of(r));
        }
        return this;
    }

    /** What happened to each job considered: "attested", "skipped: ...", "failed: ...". */
    public Map<Cid, String> outcomes() {
        return Map.copyOf(outcomes);
    }

    private void consider(PeerId author, Attestation a) {
        if (author.equals(self) || !seen.add(a.job())) {
            return;
        }
        outcomes.put(a.job(), "queued");
        runs.execute(() -> outcomes.put(a.job(), rerun(a.job())));
    }

    private String rerun(Cid job) {
        try {
            Block def = reads.get(job);
            if (def == null) {
                return skipped(job, "job definition not found in the lake or the network");
            }
            String json;
            try {
                json = JobIdentity.pipelineJson(def);
            } catch (RuntimeException e) {
                return skipped(job, e.getMessage());
            }
            PipelineLoader.Loaded loaded =
                    PipelineLoader.parse(json, "job " + job, List.of(), Map.of());
            for (var m : loaded.spec().modules()) {
                if (m.cid() == null) {
                    continue;
                }
                ModuleCid mc = ModuleCid.parse(m.cid());
                if (!Files.exists(modules.file(mc))) {
                    Block b = reads.get(Cid.parse(m.cid()));
                    if (b == null) {
                        return skipped(job, "module " + m.cid() + " not found");
                    }
                    modules.add(m.id(), b.data());
                }
            }
            Path base = workDir.resolve(job.toString());
            Files.createDirectories(base);
            JobIdentity id = JobIdentity.of(loaded, base, base);
            if (!id.cid().equals(job)) {
                return skipped(job, "the definition gives job CID " + id.cid() + ", not " + job);
            }
            if (!id.notReproducible().isEmpty()) {
                return skipped(job, String.join("; ", id.notReproducible()));
            }
            CompiledPipeline compiled =
                    CompiledPipeline.compile(
                            loaded,
                            base,
                            UnaryOperator.identity(),
                            new AttestTarget(admin, keyFile.toString(), job.toString(), true));
            LOG.info("verifier: re-running job {}", job);
            try (LocalRunner runner =
                    new LocalRunner(compiled, RunOptions.defaults().withProgress(false))) {
                runner.start();
                RunResult r = runner.await();
                if (r.outcome() != RunResult.Outcome.FINISHED) {
                    return failed(job, "re-run ended " + r.outcome() + ": " + r.failure());
                }
            }
            LOG.info("verifier: job {} re-run and attested", job);
            return "attested";
        } catch (Exception e) {
            return failed(job, e.toString());
        }
    }

    private static String skipped(Cid job, String why) {
        LOG.info("verifier: not re-running job {}: {}", job, why);
        return "skipped: " + why;
    }

    private static String failed(Cid job, String why) {
        LOG.warn("verifier: re-running job {} failed: {}", job, why);
        return "failed: " + why;
    }

    @Override
    public void close() {
        runs.shutdownNow();
    }
}
