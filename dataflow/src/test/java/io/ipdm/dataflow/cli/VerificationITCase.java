package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.attest.NodeClient;
import io.ipdm.dataflow.compile.AttestTarget;
import io.ipdm.dataflow.compile.PipelineCompiler;
import io.ipdm.dataflow.runtime.JobIdentity;
import io.ipdm.dataflow.trust.TrustFile;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.LakeNode;
import io.ipdm.lakes.node.NodeConfig;
import io.ipdm.lakes.node.NodeRole;
import io.ipdm.lakes.verify.Attestation;
import io.ipdm.lakes.verify.AttestationPolicy;
import io.ipdm.lakes.verify.Quorum;
import io.ipdm.lakes.window.WindowArchive;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.KeyFile;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.RecordService;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.mesh.testutils.Await;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.wasm.ModuleStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's scenario on loopback: three processing nodes run the same job (a WebAssembly
 * classifier over a seeded synthetic chain, windowed) and attest every window; their roots are
 * byte-identical and reach the quorum, and {@code ipdm verify} says verified. A fourth runs a
 * modified module and attests under the same job CID: it is disputed, counted as a dissenter, and a
 * pipeline reading published roots with {@code verified_only: true} never sees its roots. A
 * verifier node fetches the job by CID, re-runs it and attests the same roots. A row proof from the
 * gateway verifies; a tampered row fails. Forged, replayed and unauthorized attestations are
 * refused with their reason while the node keeps serving.
 */
class VerificationITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final Path MODULE =
            Path.of("..", "wasm-udf", "corpus", "c", "classify.wasm").toAbsolutePath().normalize();

    static final String JOB =
            """
            name: dex-attested
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 5s}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 42, duration: 3m, transactions_per_slot: 20}
            stages:
              - {id: classified, kind: wasm, input: txs, module: classify, function: classify}
              - id: per_minute
                kind: window
                input: classified
                key_by: [family]
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
            sinks:
              - {id: out, kind: terminal, input: per_minute}
            modules:
              - {id: classify, path: "%s", config: {timeout: 120s}}
            runtime: {parallelism: 1}
            """;

    @TempDir static Path dir;

    static final List<Ed25519KeyPair> users = new ArrayList<>();
    static final List<Path> keyFiles = new ArrayList<>();
    static Ed25519KeyPair stranger;
    static PeerId verifierPeer;
    static Path trustFile;
    static TrustList trust;
    static final List<LakeNode> nodes = new ArrayList<>();
    static LakeNode verifierNode;
    static io.ipdm.dataflow.verify.Verifier verifier;
    static JobIdentity honest;
    static String previousModules;

    @BeforeAll
    static void startNodesAndRunJobs() throws Exception {
        previousModules = System.getProperty(ModuleStore.PROPERTY);
        System.setProperty(ModuleStore.PROPERTY, dir.resolve("modules").toString());
        for (int i = 0; i < 4; i++) {
            Ed25519KeyPair k = Ed25519KeyPair.generate();
            Path f = dir.resolve("user" + i + ".key");
            KeyFile.save(k, f);
            users.add(k);
            keyFiles.add(f);
        }
        stranger = Ed25519KeyPair.generate();
        Path verifierLake = dir.resolve("lake-verifier");
        Files.createDirectories(verifierLake);
        Ed25519KeyPair vk = Ed25519KeyPair.generate();
        KeyFile.save(vk, verifierLake.resolve("node.key"));
        verifierPeer = vk.peerId();
        StringBuilder keys = new StringBuilder("keys:\n");
        for (int i = 0; i < 4; i++) {
            keys.append("  - name: user")
                    .append(i)
                    .append("\n    peer_id: ")
                    .append(users.get(i).peerId())
                    .append("\n    roles: [attest]\n");
        }
        keys.append("  - name: verifier\n    peer_id: ")
                .append(verifierPeer)
                .append("\n    roles: [attest]\n");
        trustFile = dir.resolve("keys.yaml");
        Files.writeString(trustFile, keys);
        TrustList trust = TrustFile.read(trustFile);
        AttestationPolicy policy =
                new AttestationPolicy(new Quorum(2), p -> trust.trusts(p, TrustList.ATTEST), true);

        LakeNode first =
                LakeNode.start(
                        config(
                                EnumSet.of(NodeRole.STORAGE, NodeRole.GATEWAY, NodeRole.PROCESSING),
                                dir.resolve("lake0"),
                                List.of()),
                        IpfsNetwork::install,
                        policy);
        nodes.add(first);
        Multiaddr boot =
                Multiaddr.parse(first.mesh().addresses().get(0) + "/p2p/" + first.mesh().peerId());
        for (int i = 1; i < 4; i++) {
            nodes.add(
                    LakeNode.start(
                            config(
                                    EnumSet.of(NodeRole.STORAGE, NodeRole.PROCESSING),
                                    dir.resolve("lake" + i),
                                    List.of(boot)),
                            IpfsNetwork::install,
                            policy));
        }
        NodeConfig vc =
                config(
                        EnumSet.of(NodeRole.STORAGE, NodeRole.VERIFIER),
                        verifierLake,
                        List.of(boot));
        verifierNode = LakeNode.start(vc, IpfsNetwork::install, policy);
        verifier = NodeCommand.verifier(verifierNode, vc);
        Await.await(
                "every node in the attestation topic's mesh",
                Duration.ofSeconds(60),
                () -> first.mesh().gossip().topicPeers(RecordService.TOPIC).size() >= 4);

        Path modified = dir.resolve("classify-modified.wasm");
        Files.write(modified, modified(Files.readAllBytes(MODULE)));
        honest = JobIdentity.of(load(MODULE), dir, dir);
        assertThat(honest.notReproducible()).isEmpty();
        for (int i = 0; i < 4; i++) {
            PipelineLoader.Loaded loaded = load(i < 3 ? MODULE : modified);
            NodeClient client =
                    new NodeClient(
                            java.net.URI.create(nodes.get(i).adminUri()),
                            null,
                            Duration.ofSeconds(30));
            AttestOptions.handJob(client, honest);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            // the fourth node lies: it ran another module and attests under the honest job's CID
            PipelineCompiler.compile(
                    loaded,
                    env,
                    dir,
                    java.util.function.UnaryOperator.identity(),
                    new AttestTarget(
                            nodes.get(i).adminUri(),
                            keyFiles.get(i).toString(),
                            honest.cid().toString(),
                            false));
            env.execute("attested run " + i);
        }
    }

    @AfterAll
    static void stop() {
        if (verifier != null) {
            verifier.close();
        }
        if (verifierNode != null) {
            verifierNode.close();
        }
        nodes.forEach(LakeNode::close);
        if (previousModules == null) {
            System.clearProperty(ModuleStore.PROPERTY);
        } else {
            System.setProperty(ModuleStore.PROPERTY, previousModules);
        }
    }

    static NodeConfig config(Set<NodeRole> roles, Path lake, List<Multiaddr> bootstrap) {
        return NodeConfig.builder(roles, lake).bootstrap(bootstrap).trust(trust).build();
    }

    static PipelineLoader.Loaded load(Path module) {
        return PipelineLoader.parse(
                JOB.formatted(module), "dex-attested.yaml", List.of(), Map.of());
    }

    /** The classifier with its "dex" family name spelled "Dex": valid, and wrong. */
    static byte[] modified(byte[] wasm) {
        byte[] needle = "\0dex\0".getBytes(StandardCharsets.US_ASCII);
        int at = -1;
        for (int i = 0; i + needle.length <= wasm.length; i++) {
            if (java.util.Arrays.equals(wasm, i, i + needle.length, needle, 0, needle.length)) {
                assertThat(at).as("one \"dex\" string in the module").isEqualTo(-1);
                at = i;
            }
        }
        assertThat(at).as("the module's \"dex\" string").isGreaterThanOrEqualTo(0);
        byte[] out = wasm.clone();
        out[at + 1] = 'D';
        return out;
    }

    /** Per window: author -> root, from node 0's book. */
    static Map<String, Map<PeerId, Cid>> windows() {
        Map<String, Map<PeerId, Cid>> out = new LinkedHashMap<>();
        for (SignedRecord r : nodes.get(0).attestations().book().records()) {
            Attestation a = Attestation.of(r);
            out.computeIfAbsent(a.window(), k -> new HashMap<>()).put(r.authorId(), a.root());
        }
        return out;
    }

    static Map<String, Map<PeerId, Cid>> awaitAll(int authors) throws InterruptedException {
        Await.await(
                "3 windows attested by the first " + authors + " keys at node 0",
                Duration.ofSeconds(180),
                () -> attestedByAll(authors).size() >= 3);
        return attestedByAll(authors);
    }

    /**
     * The windows the first {@code authors} keys (the four users, then the verifier) all attested.
     * Windows keep closing while the nodes run, and counting keys alone let a window the verifier
     * attested before the liar pass as one of the four users'.
     */
    static Map<String, Map<PeerId, Cid>> attestedByAll(int authors) {
        List<PeerId> expected = new ArrayList<>();
        users.forEach(u -> expected.add(u.peerId()));
        expected.add(verifierPeer);
        List<PeerId> required = expected.subList(0, Math.min(authors, expected.size()));
        Map<String, Map<PeerId, Cid>> all = windows();
        all.values().removeIf(m -> !m.keySet().containsAll(required));
        return all;
    }

    record Cli(int exit, String out, String err) {}

    static Cli ipdm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    @Test
    void honestRootsAreIdenticalAndVerifiedTheLiarIsDisputedAndLosesTrust() throws Exception {
        Map<String, Map<PeerId, Cid>> windows = awaitAll(4);
        PeerId liar = users.get(3).peerId();
        int disagreements = 0;
        for (Map.Entry<String, Map<PeerId, Cid>> w : windows.entrySet()) {
            Cid root = w.getValue().get(users.get(0).peerId());
            assertThat(w.getValue().get(users.get(1).peerId())).as(w.getKey()).isEqualTo(root);
            assertThat(w.getValue().get(users.get(2).peerId())).as(w.getKey()).isEqualTo(root);
            assertThat(nodes.get(0).attestations().status(root).state())
                    .as(w.getKey())
                    .isEqualTo(Quorum.State.VERIFIED);
            if (!w.getValue().get(liar).equals(root)) {
                disagreements++;
                assertThat(nodes.get(0).attestations().status(w.getValue().get(liar)).state())
                        .isEqualTo(Quorum.State.DISPUTED);
            }
        }
        assertThat(disagreements).as("windows where the modified module differs").isPositive();
        // every node judged alike from what gossip brought it
        for (LakeNode n : nodes) {
            Await.await(
                    "node " + n.mesh().peerId() + " saw the dissent",
                    Duration.ofSeconds(60),
                    () -> n.attestations().dissents().getOrDefault(liar, 0) > 0);
            assertThat(n.attestations().dissents().keySet()).containsOnly(liar);
        }
        assertThat(nodes.get(0).attestations().dissents().get(liar)).isEqualTo(disagreements);
        // its reputation in the identity store drops below a newcomer's; the honest keys' rise
        LakeNode n = nodes.get(0);
        assertThat(n.identities().reputation(liar)).isLessThan(0.5);
        assertThat(n.identities().reputation(users.get(0).peerId())).isGreaterThan(0.5);
        assertThat(n.identities().score(liar))
                .isLessThan(n.identities().score(users.get(0).peerId()));
        assertThat(n.identities().get(liar).orElseThrow().recentOutcomes())
                .anySatisfy(o -> assertThat(o).startsWith("attestation bad: attested"));
    }

    @Test
    void theVerifierReRunsTheJobByCidAndAgrees() throws Exception {
        Map<String, Map<PeerId, Cid>> windows = awaitAll(5);
        assertThat(verifier.outcomes()).containsEntry(honest.cid(), "attested");
        for (Map.Entry<String, Map<PeerId, Cid>> w : windows.entrySet()) {
            assertThat(w.getValue().get(verifierPeer))
                    .as(w.getKey())
                    .isEqualTo(w.getValue().get(users.get(0).peerId()));
        }
    }

    @Test
    void ipdmVerifySaysVerifiedDisputedOrPendingWithTheirExitCodes() throws Exception {
        Map<String, Map<PeerId, Cid>> windows = awaitAll(4);
        String node = nodes.get(0).adminUri();
        Map.Entry<String, Map<PeerId, Cid>> w =
                windows.entrySet().stream()
                        .filter(
                                e ->
                                        !e.getValue()
                                                .get(users.get(3).peerId())
                                                .equals(e.getValue().get(users.get(0).peerId())))
                        .findFirst()
                        .orElseThrow();
        Cid good = w.getValue().get(users.get(0).peerId());
        Cid bad = w.getValue().get(users.get(3).peerId());

        Cli ok = ipdm("verify", good.toString(), "--node", node, "--trust", trustFile.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("verified by ").contains("(quorum 2)").contains(w.getKey());

        Cli disputed =
                ipdm("verify", bad.toString(), "--node", node, "--trust", trustFile.toString());
        assertThat(disputed.exit()).isEqualTo(VerifyCommand.DISPUTED);
        assertThat(disputed.out())
                .startsWith("disputed")
                .contains(users.get(3).peerId() + " says " + bad)
                .contains(users.get(0).peerId() + " says " + good + "  (differs)");

        Cid unknown = Cid.sha256(Multicodec.DAG_CBOR, new byte[] {42});
        Cli pending = ipdm("verify", unknown.toString(), "--node", node);
        assertThat(pending.exit()).isEqualTo(VerifyCommand.PENDING);
        assertThat(pending.out()).startsWith("pending: no attestation of " + unknown);

        Cli json =
                ipdm(
                        "verify",
                        good.toString(),
                        "--node",
                        node,
                        "--trust",
                        trustFile.toString(),
                        "--json");
        assertThat(json.exit()).isZero();
        assertThat(json.out())
                .contains("\"state\":\"verified\"")
                .contains("\"majority\":\"" + good + "\"");

        // a quorum larger than the honest keys is not reached, whoever asks
        Cli strict =
                ipdm(
                        "verify",
                        good.toString(),
                        "--node",
                        node,
                        "--trust",
                        trustFile.toString(),
                        "--quorum",
                        "9");
        assertThat(strict.exit()).isEqualTo(VerifyCommand.DISPUTED);
    }

    @Test
    void aRowProofVerifiesAndATamperedRowFails() throws Exception {
        Map<String, Map<PeerId, Cid>> windows = awaitAll(4);
        LakeNode n = nodes.get(0);
        Cid root = windows.values().iterator().next().get(users.get(0).peerId());
        WindowArchive.Window win = WindowArchive.read(n.store(), root);
        StringBuilder row = new StringBuilder("{");
        for (int i = 0; i < win.fields().size(); i++) {
            Object v = win.rows().get(0).get(i);
            row.append(i == 0 ? "" : ",").append('"').append(win.fields().get(i)).append("\":");
            row.append(v instanceof String s ? "\"" + s + "\"" : String.valueOf(v));
        }
        row.append('}');
        String gw = n.gateway().baseUri().toString();
        Cli proven =
                ipdm(
                        "verify",
                        "--row",
                        row.toString(),
                        root.toString(),
                        "--node",
                        n.adminUri(),
                        "--gateway",
                        gw,
                        "--trust",
                        trustFile.toString());
        assertThat(proven.exit()).as(proven.err()).isZero();
        assertThat(proven.out()).startsWith("row proven in " + root);

        int txs = win.fields().indexOf("txs");
        String tampered =
                row.toString()
                        .replace(
                                "\"txs\":" + win.rows().get(0).get(txs),
                                "\"txs\":" + ((Long) win.rows().get(0).get(txs) + 1));
        Cli failed =
                ipdm(
                        "verify",
                        "--row",
                        tampered,
                        root.toString(),
                        "--node",
                        n.adminUri(),
                        "--gateway",
                        gw);
        assertThat(failed.exit()).isEqualTo(VerifyCommand.ROW_NOT_PROVEN);
        assertThat(failed.err())
                .contains("row NOT proven in " + root)
                .contains("differs in 'txs' (row says " + ((Long) win.rows().get(0).get(txs) + 1));
    }

    @Test
    void forgedReplayedAndUnauthorizedAttestationsAreRefusedAndTheNodeKeepsServing()
            throws Exception {
        Map<String, Map<PeerId, Cid>> windows = awaitAll(4);
        LakeNode n = nodes.get(0);
        NodeClient client =
                new NodeClient(java.net.URI.create(n.adminUri()), null, Duration.ofSeconds(30));
        SignedRecord held =
                n.attestations().book().records().stream()
                        .filter(r -> r.authorId().equals(users.get(0).peerId()))
                        .findFirst()
                        .orElseThrow();
        Attestation a = Attestation.of(held);

        Attestation older =
                new Attestation(
                        a.job(),
                        a.sink(),
                        a.windowStart(),
                        a.windowEnd(),
                        a.root(),
                        a.rows(),
                        a.time() - 1);
        assertThatThrownBy(() -> client.attest(older.sign(users.get(0))))
                .hasMessageContaining("replay of an old version, v" + a.time() + " is held");

        byte[] forged =
                new Attestation(
                                a.job(),
                                a.sink(),
                                a.windowStart(),
                                a.windowEnd(),
                                Cid.sha256(Multicodec.DAG_CBOR, new byte[] {7}),
                                a.rows(),
                                a.time() + 1)
                        .sign(users.get(0))
                        .encoded();
        forged[forged.length - 1] ^= 1;
        assertThatThrownBy(() -> client.attest(SignedRecord.decode(forged, Attestation.MAX_VALUE)))
                .hasMessageContaining("signature does not verify");

        Attestation foreign =
                new Attestation(
                        a.job(),
                        a.sink(),
                        a.windowStart(),
                        a.windowEnd(),
                        a.root(),
                        a.rows(),
                        a.time() + 5);
        assertThatThrownBy(() -> client.attest(foreign.sign(stranger)))
                .hasMessageContaining("key " + stranger.peerId() + " is not trusted to attest");

        // still verified, still serving
        assertThat(n.attestations().status(a.root()).state()).isEqualTo(Quorum.State.VERIFIED);
        assertThat(n.attestations().refusals())
                .anySatisfy(r -> assertThat(r).contains("signature does not verify"));
        assertThat(windows).isNotEmpty();
    }

    @Test
    void aVerifiedOnlySourceNeverSeesTheDisputedRoots() throws Exception {
        Map<String, Map<PeerId, Cid>> windows = awaitAll(4);
        Set<String> good = new LinkedHashSet<>();
        Set<String> bad = new LinkedHashSet<>();
        for (Map<PeerId, Cid> w : windows.values()) {
            Cid h = w.get(users.get(0).peerId());
            good.add(h.toString());
            if (!w.get(users.get(3).peerId()).equals(h)) {
                bad.add(w.get(users.get(3).peerId()).toString());
            }
        }
        LakeNode n = nodes.get(0);
        String topic = "ipdm/roots-it";
        String pipeline =
                """
                name: verified-roots
                sources:
                  - id: roots
                    kind: gossipsub
                    options:
                      topic: %s
                      bootstrap: "%s"
                      fields: [window_start:long, window_end:long, root_cid:string, row_count:long]
                      verified_only: true
                      verify_node: "%s"
                sinks:
                  - {id: out, kind: terminal, input: roots}
                runtime: {parallelism: 1}
                """
                        .formatted(
                                topic,
                                n.mesh().addresses().get(0) + "/p2p/" + n.mesh().peerId(),
                                n.adminUri());
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(pipeline, "verified-roots.yaml", List.of(), Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        PipelineCompiler.Compiled compiled = PipelineCompiler.compile(loaded, env, dir);
        CompletableFuture<List<Row>> rows =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return compiled.streams().get("roots").stream()
                                        .executeAndCollect(good.size());
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        Await.await(
                "the source joined " + topic,
                Duration.ofSeconds(60),
                () -> !n.mesh().gossip().topicPeers(topic).isEmpty());
        List<String> order = new ArrayList<>(bad);
        order.addAll(good);
        long start = 0;
        for (String r : order) {
            String m =
                    "{\"window_start\":"
                            + start
                            + ",\"window_end\":"
                            + (start + 60000)
                            + ",\"root_cid\":\""
                            + r
                            + "\",\"row_count\":1}";
            n.mesh().publish(topic, m.getBytes(StandardCharsets.UTF_8)).get();
            start += 60000;
        }
        List<Row> got = rows.get(120, TimeUnit.SECONDS);
        assertThat(got)
                .extracting(r -> (String) r.getField(2))
                .containsExactlyInAnyOrderElementsOf(good);
        assertThat(got).extracting(r -> (String) r.getField(2)).doesNotContainAnyElementsOf(bad);
    }

    /**
     * {@code verified_only} on the {@code lake} source: of the window archives in a lake (the
     * honest nodes' roots and the liar's, copied from their nodes), only those whose root node 0
     * calls verified are read; without it the same source reads the liar's windows too (the
     * modified module spells the family "Dex").
     */
    @Test
    void aVerifiedOnlyLakeSourceReadsOnlyWindowsWithAVerifiedQuorum() throws Exception {
        Map<String, Map<PeerId, Cid>> windows = awaitAll(4);
        List<Cid> good = new ArrayList<>();
        List<Cid> bad = new ArrayList<>();
        for (Map<PeerId, Cid> w : windows.values()) {
            Cid h = w.get(users.get(0).peerId());
            good.add(h);
            if (!w.get(users.get(3).peerId()).equals(h)) {
                bad.add(w.get(users.get(3).peerId()));
            }
        }
        assertThat(bad).as("the liar's windows differ").isNotEmpty();
        LakeNode n = nodes.get(0);
        for (Cid c : good) {
            assertThat(n.attestations().status(c).state()).isEqualTo(Quorum.State.VERIFIED);
        }
        for (Cid c : bad) {
            assertThat(n.attestations().status(c).state()).isEqualTo(Quorum.State.DISPUTED);
        }
        Path lake = dir.resolve("lake-copy");
        long goodRows = 0;
        try (io.ipdm.lakes.store.TieredStore copy =
                io.ipdm.lakes.store.TieredStore.open(lake, 8L << 20, 1L << 30)) {
            for (Cid c : good) {
                io.ipdm.lakes.ipld.Links.walk(n.store(), c, copy::put);
                goodRows += WindowArchive.read(copy, c).rows().size();
            }
            for (Cid c : bad) {
                io.ipdm.lakes.ipld.Links.walk(nodes.get(3).store(), c, copy::put);
            }
        }
        List<String> all = new ArrayList<>();
        bad.forEach(c -> all.add(c.toString()));
        good.forEach(c -> all.add(c.toString()));

        List<Row> verifiedRows = readLake(lake, all, true, n.adminUri());
        assertThat(verifiedRows).hasSize((int) goodRows);
        assertThat(verifiedRows).noneMatch(VerificationITCase::saysDex);

        List<Row> everyRow = readLake(lake, all, false, n.adminUri());
        assertThat(everyRow)
                .hasSizeGreaterThan((int) goodRows)
                .anyMatch(VerificationITCase::saysDex);
    }

    private static boolean saysDex(Row r) {
        for (int i = 0; i < r.getArity(); i++) {
            if ("Dex".equals(r.getField(i))) {
                return true;
            }
        }
        return false;
    }

    private static List<Row> readLake(Path lake, List<String> roots, boolean verified, String node)
            throws Exception {
        String pipeline =
                """
                name: verified-lake
                sources:
                  - id: windows
                    kind: lake
                    options:
                      lake: "%s"
                      roots: [%s]
                      verified_only: %s%s
                sinks:
                  - {id: out, kind: terminal, input: windows}
                runtime: {parallelism: 1}
                """
                        .formatted(
                                lake,
                                String.join(", ", roots),
                                verified,
                                // the node options only with verified_only (else refused)
                                verified
                                        ? "\n      verify_node: \""
                                                + node
                                                + "\"\n      verify_timeout: 20s"
                                        : "");
        PipelineLoader.Loaded loaded =
                PipelineLoader.parse(pipeline, "verified-lake.yaml", List.of(), Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        PipelineCompiler.Compiled compiled = PipelineCompiler.compile(loaded, env, dir);
        List<Row> out = new ArrayList<>();
        try (var it = compiled.streams().get("windows").stream().executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void ipdmRunAttestHandsTheJobAndItsWindowsToTheNode() throws Exception {
        Map<String, Map<PeerId, Cid>> before = awaitAll(4);
        LakeNode n = nodes.get(0);
        long last =
                n.attestations().book().records().stream()
                        .filter(r -> r.authorId().equals(users.get(0).peerId()))
                        .mapToLong(SignedRecord::version)
                        .max()
                        .orElseThrow();
        Path job = dir.resolve("dex-attested.yaml");
        Files.writeString(job, JOB.formatted(MODULE));
        Cli run =
                ipdm(
                        "run",
                        job.toString(),
                        "--attest",
                        "--node",
                        n.adminUri(),
                        "--key",
                        keyFiles.get(0).toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err())
                .contains(
                        "ipdm: job "
                                + honest.cid()
                                + "; attesting every closed window through the node at "
                                + n.adminUri());
        // every window re-attested by the same key, newer, with the same root
        List<SignedRecord> mine =
                n.attestations().book().records().stream()
                        .filter(r -> r.authorId().equals(users.get(0).peerId()))
                        .toList();
        assertThat(mine)
                .hasSize(before.size())
                .allSatisfy(r -> assertThat(r.version()).isGreaterThan(last));
        for (SignedRecord r : mine) {
            Attestation a = Attestation.of(r);
            assertThat(a.root()).isEqualTo(before.get(a.window()).get(users.get(0).peerId()));
        }
        // the job definition is on the node, pinned, by its CID
        assertThat(n.store().pins()).contains(honest.cid());

        Cli noNode =
                ipdm(
                        "run",
                        job.toString(),
                        "--attest",
                        "--node",
                        dir.resolve("no-lake").toString());
        assertThat(noNode.exit()).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(noNode.err())
                .contains("no ipdm node is running on lake " + dir.resolve("no-lake"));
    }
}
