package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.testutils.SharedData;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway checked by an independent client: npm @ipld/car and multiformats under Node. */
class GatewayInteropTest {

    static Path jsDir() {
        Path js = Path.of("src/test/js");
        assumeTrue(
                Files.isDirectory(js.resolve("node_modules/@ipld/car")),
                "npm clients not installed: run .ci/setup.d/lava-lakes.sh (npm ci in lava-lakes/src/test/js)");
        return js;
    }

    @SuppressWarnings("unchecked")
    @Test
    void nodeClientFetchesAndVerifiesEveryBlock(@TempDir Path dir) throws Exception {
        Path js = jsDir();
        List<Block> spec = new ArrayList<>();
        try (InputStream in =
                        Files.newInputStream(
                                SharedData.dir(
                                        "ipld/ipld-spec-car-fixtures/carv1-basic/carv1-basic.car"));
                CarReader r = CarReader.open(in)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                spec.add(s.block());
            }
        }
        List<Block> dag = GatewayTest.dag();
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g =
                        Gateway.start(
                                store,
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            store.putAll(spec);
            store.putAll(dag);
            store.demoteToCold(List.of(dag.get(1).cid(), dag.get(5).cid()));
            List<String> cmd =
                    new ArrayList<>(List.of("node", "gateway-client.mjs", g.baseUri().toString()));
            cmd.add(dag.get(0).cid().toString());
            for (Block b : spec) {
                cmd.add(b.cid().toString());
            }
            Process p =
                    new ProcessBuilder(cmd)
                            .directory(js.toFile())
                            .redirectErrorStream(true)
                            .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            Map<String, Object> result = (Map<String, Object>) DagJson.decode(output.trim());
            List<Map<String, Object>> results = (List<Map<String, Object>>) result.get("results");
            assertThat(results).hasSize(1 + spec.size());
            for (Map<String, Object> r : results) {
                assertThat(r.get("rawStatus")).as(r.toString()).isEqualTo(200L);
                assertThat(r.get("rawType")).isEqualTo("application/vnd.ipld.raw");
                assertThat(r.get("rawVerified")).as(r.toString()).isEqualTo(true);
                assertThat(r.get("headStatus")).isEqualTo(200L);
                assertThat(r.get("carStatus")).isEqualTo(200L);
                assertThat((String) r.get("carType")).startsWith("application/vnd.ipld.car");
                assertThat(r.get("carRoots")).isEqualTo(List.of(r.get("cid")));
                assertThat(r.get("carVerified")).as(r.toString()).isEqualTo(true);
            }
            assertThat(results.get(0).get("carBlocks"))
                    .isEqualTo(dag.stream().map(b -> b.cid().toString()).toList());
            assertThat(result.get("statuses"))
                    .isEqualTo(Map.of("badCid", 400L, "noFormat", 400L, "unknown", 404L));
        }
    }

    /**
     * Helia's own gateway client: {@code @helia/verified-fetch} with this gateway as its only
     * trustless gateway reads a multi-block UnixFS file block by block (Accept:
     * application/vnd.ipld.raw, each block checked by Helia) and gets the same bytes; a CAR asked
     * for by Accept header alone is served too.
     */
    @SuppressWarnings("unchecked")
    @Test
    void heliaVerifiedFetchReadsAUnixFsFileThroughTheGateway(@TempDir Path dir) throws Exception {
        Path js = jsDir();
        assumeTrue(
                Files.isDirectory(js.resolve("node_modules/@helia/verified-fetch")),
                "@helia/verified-fetch not installed: run .ci/setup.d/lava-lakes.sh");
        java.util.Random rnd = new java.util.Random(17);
        List<byte[]> chunks = new ArrayList<>();
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            byte[] c = new byte[300_000];
            rnd.nextBytes(c);
            chunks.add(c);
            whole.write(c);
        }
        List<Block> file = io.ipdm.lakes.ipld.UnixFsFile.build(chunks);
        Block root = file.get(file.size() - 1);
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g =
                        Gateway.start(
                                store,
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            store.putAll(file);
            Process p =
                    new ProcessBuilder(
                                    "node",
                                    "verified-fetch.mjs",
                                    g.baseUri().toString(),
                                    root.cid().toString())
                            .directory(js.toFile())
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            String last = output.trim().substring(output.trim().lastIndexOf('\n') + 1);
            Map<String, Object> r = (Map<String, Object>) DagJson.decode(last);
            assertThat(r.get("status")).as(output).isEqualTo(200L);
            assertThat(r.get("size")).isEqualTo((long) whole.size());
            assertThat(r.get("sha256"))
                    .isEqualTo(
                            java.util.HexFormat.of()
                                    .formatHex(
                                            java.security.MessageDigest.getInstance("SHA-256")
                                                    .digest(whole.toByteArray())));
            assertThat(r.get("carStatus")).isEqualTo(200L);
            assertThat((String) r.get("carType")).startsWith("application/vnd.ipld.car");
            assertThat(r.get("carRoots")).isEqualTo(List.of(root.cid().toString()));
            assertThat(r.get("carBlocks")).isEqualTo((long) file.size());
        }
    }
}
