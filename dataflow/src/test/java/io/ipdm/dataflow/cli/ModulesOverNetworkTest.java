package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ipdm.dataflow.compile.stage.ModuleFetcher;
import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.LakeNode;
import io.ipdm.lakes.node.NodeConfig;
import io.ipdm.lakes.node.NodeRole;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.wasm.ModuleCid;
import io.ipdm.wasm.ModuleNotFoundException;
import io.ipdm.wasm.ModuleStore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline's {@code cid:} module that this machine lacks is fetched from the network: a storage
 * node holds it (added with {@code ipdm wasm add --lake}), a gateway node finds it through the DHT
 * and Bitswap, and the compiler checks the bytes against the CID before using them.
 */
class ModulesOverNetworkTest extends CommandLineTest {
    private static final Path CLASSIFY = Path.of("../wasm-udf/corpus/c/classify.wasm");

    @AfterEach
    void clear() {
        System.clearProperty(ModuleStore.PROPERTY);
        System.clearProperty(ModuleFetcher.PROPERTY);
    }

    private static NodeConfig node(Path lake, NodeRole role, List<Multiaddr> bootstrap) {
        return NodeConfig.builder(EnumSet.of(role), lake)
                .bootstrap(bootstrap)
                .readTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static void compile(String cid) {
        String yaml =
                """
                name: t
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 10}}
                stages:
                  - {id: families, kind: wasm, input: txs, module: classify, function: classify}
                sinks:
                  - {id: out, kind: terminal, input: families}
                modules:
                  - id: classify
                    cid: %s
                """
                        .formatted(cid);
        CompiledPipeline.compile(
                PipelineLoader.parse(yaml, "by-cid.yaml", List.of(), Map.of()),
                Path.of("target").toAbsolutePath());
    }

    @Test
    void aModuleMissingHereIsFetchedThroughAGatewayNodeAndChecked(@TempDir Path dir)
            throws Exception {
        Path storageLake = dir.resolve("storage");
        assertThat(
                        run(
                                "wasm",
                                "add",
                                "--store",
                                dir.resolve("publisher-modules").toString(),
                                "--lake",
                                storageLake.toString(),
                                CLASSIFY.toString()))
                .as(err::toString)
                .isZero();
        String cid = out.toString().strip();
        Path mine = dir.resolve("my-modules");
        System.setProperty(ModuleStore.PROPERTY, mine.toString());
        try (LakeNode storage =
                        LakeNode.start(
                                node(storageLake, NodeRole.STORAGE, List.of()),
                                IpfsNetwork::install);
                LakeNode gateway =
                        LakeNode.start(
                                node(
                                        dir.resolve("gateway"),
                                        NodeRole.GATEWAY,
                                        storage.mesh().addresses()),
                                IpfsNetwork::install)) {
            System.setProperty(ModuleFetcher.PROPERTY, gateway.gateway().baseUri().toString());
            compile(cid);
            // fetched, checked and kept: the next compile finds it locally
            assertThat(mine.resolve(cid + ".wasm")).hasSameBinaryContentAs(CLASSIFY);
        }
    }

    @Test
    void wrongBytesAreRefusedAndTheErrorNamesTheCidAndEveryGatewayAsked(@TempDir Path dir)
            throws Exception {
        String cid = ModuleCid.of(Files.readAllBytes(CLASSIFY)).toString();
        HttpServer liar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        liar.createContext(
                "/ipfs/",
                ex -> {
                    byte[] other = "not the module".getBytes();
                    ex.sendResponseHeaders(200, other.length);
                    ex.getResponseBody().write(other);
                    ex.close();
                });
        liar.start();
        try {
            String url = "http://127.0.0.1:" + liar.getAddress().getPort();
            ModuleStore store = new ModuleStore(dir.resolve("m"));
            assertThatThrownBy(
                            () ->
                                    new ModuleFetcher(
                                                    List.of(url, "http://127.0.0.1:1"),
                                                    Duration.ofSeconds(5))
                                            .fetch(ModuleCid.parse(cid), store))
                    .isInstanceOf(ModuleNotFoundException.class)
                    .hasMessageStartingWith(
                            "module "
                                    + cid
                                    + " not found in "
                                    + store.dir()
                                    + " nor through the gateways asked: "
                                    + url
                                    + " (sent bytes hashing to "
                                    + ModuleCid.of("not the module".getBytes())
                                    + ": refused), http://127.0.0.1:1 (");
            assertThat(Files.exists(store.file(ModuleCid.parse(cid)))).isFalse();

            System.setProperty(ModuleStore.PROPERTY, dir.resolve("m").toString());
            System.setProperty(ModuleFetcher.PROPERTY, url);
            assertThatThrownBy(() -> compile(cid))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageStartingWith(
                            "by-cid.yaml:10:10: modules.classify.cid: module "
                                    + cid
                                    + " not found in ");
        } finally {
            liar.stop(0);
        }
    }
}
