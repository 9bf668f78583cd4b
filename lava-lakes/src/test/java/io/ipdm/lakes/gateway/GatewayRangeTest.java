package io.ipdm.lakes.gateway;

import static io.ipdm.lakes.gateway.GatewayRequests.header;
import static io.ipdm.lakes.gateway.GatewayRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partial responses over HTTP: {@code Range} on raw blocks (206, 416, ignored forms, {@code
 * If-Range}), {@code If-None-Match} (304), and {@code entity-bytes} CARs holding just the blocks of
 * a byte range, checked against files built and read by the npm UnixFS importer and exporter.
 */
class GatewayRangeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private HttpResponse<byte[]> get(Gateway g, String path, String... headers) throws Exception {
        return send(g, "GET", path, headers);
    }

    @Test
    void rawBlocksAnswerSingleByteRanges(@TempDir Path dir) throws Exception {
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Block b = Block.of(Multicodec.RAW, data);
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0))) {
            store.put(b);
            String raw = "/ipfs/" + b.cid() + "?format=raw";

            HttpResponse<byte[]> whole = get(g, raw);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(header(whole, "Accept-Ranges")).isEqualTo("bytes");

            HttpResponse<byte[]> mid = get(g, raw, "Range", "bytes=10-19");
            assertThat(mid.statusCode()).isEqualTo(206);
            assertThat(header(mid, "Content-Range")).isEqualTo("bytes 10-19/100");
            assertThat(header(mid, "Content-Type")).isEqualTo(Responder.RAW);
            assertThat(mid.body()).isEqualTo(Arrays.copyOfRange(data, 10, 20));

            HttpResponse<byte[]> open = get(g, raw, "Range", "bytes=90-");
            assertThat(header(open, "Content-Range")).isEqualTo("bytes 90-99/100");
            assertThat(open.body()).isEqualTo(Arrays.copyOfRange(data, 90, 100));

            HttpResponse<byte[]> suffix = get(g, raw, "Range", "bytes=-5");
            assertThat(suffix.statusCode()).isEqualTo(206);
            assertThat(header(suffix, "Content-Range")).isEqualTo("bytes 95-99/100");
            assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(data, 95, 100));

            HttpResponse<byte[]> clamped = get(g, raw, "Range", "bytes=98-1000");
            assertThat(header(clamped, "Content-Range")).isEqualTo("bytes 98-99/100");

            HttpResponse<byte[]> past = get(g, raw, "Range", "bytes=100-");
            assertThat(past.statusCode()).isEqualTo(416);
            assertThat(header(past, "Content-Range")).isEqualTo("bytes */100");
            assertThat(new String(past.body(), StandardCharsets.UTF_8))
                    .isEqualTo("range 'bytes=100-' is past the end of the 100-byte block\n");

            // several ranges, another unit, nonsense: ignored, the whole block
            for (String ignored : List.of("bytes=0-1,5-6", "items=0-1", "bytes=x-y", "bytes=5-2")) {
                HttpResponse<byte[]> r = get(g, raw, "Range", ignored);
                assertThat(r.statusCode()).as(ignored).isEqualTo(200);
                assertThat(r.body()).as(ignored).isEqualTo(data);
            }

            String etag = header(whole, "Etag");
            assertThat(get(g, raw, "Range", "bytes=0-0", "If-Range", etag).statusCode())
                    .isEqualTo(206);
            HttpResponse<byte[]> stale = get(g, raw, "Range", "bytes=0-0", "If-Range", "\"x\"");
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.body()).isEqualTo(data);

            HttpResponse<byte[]> head = send(g, "HEAD", raw, "Range", "bytes=10-19");
            assertThat(head.statusCode()).isEqualTo(206);
            assertThat(header(head, "Content-Length")).isEqualTo("10");
            assertThat(head.body()).isEmpty();

            // by Accept instead of ?format=raw
            HttpResponse<byte[]> byAccept =
                    get(g, "/ipfs/" + b.cid(), "Accept", Responder.RAW, "Range", "bytes=1-2");
            assertThat(byAccept.statusCode()).isEqualTo(206);
            assertThat(byAccept.body()).isEqualTo(new byte[] {1, 2});
        }
    }

    @Test
    void immutableResponsesAnswerIfNoneMatchWith304(@TempDir Path dir) throws Exception {
        List<Block> dag = GatewayTest.dag();
        Cid root = dag.get(0).cid();
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0))) {
            store.putAll(dag);
            for (String path :
                    List.of("/ipfs/" + root + "?format=raw", "/ipfs/" + root + "?format=car")) {
                HttpResponse<byte[]> first = get(g, path);
                String etag = header(first, "Etag");
                assertThat(etag).as(path).startsWith("\"" + root);
                assertThat(header(first, "Cache-Control"))
                        .isEqualTo("public, max-age=29030400, immutable");
                HttpResponse<byte[]> again = get(g, path, "If-None-Match", etag);
                assertThat(again.statusCode()).as(path).isEqualTo(304);
                assertThat(again.body()).isEmpty();
                assertThat(header(again, "Etag")).isEqualTo(etag);
                assertThat(header(again, "X-Ipfs-Roots")).isEqualTo(root.toString());
                assertThat(get(g, path, "If-None-Match", "\"other\", W/" + etag).statusCode())
                        .isEqualTo(304);
                assertThat(get(g, path, "If-None-Match", "*").statusCode()).isEqualTo(304);
                assertThat(get(g, path, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
            }
        }
    }

    /** Ten 10-byte chunks under one dag-pb root: which leaves each range needs. */
    @Test
    void entityBytesCarsHoldTheBlocksOfTheRange(@TempDir Path dir) throws Exception {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] c = new byte[10];
            Arrays.fill(c, (byte) i);
            chunks.add(c);
        }
        List<Block> file = UnixFsFile.build(chunks); // leaves, root last
        Cid root = file.getLast().cid();
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0))) {
            store.putAll(file);
            assertThat(carBlocks(g, root, "0:9")).containsExactly(root, leaf(file, 0));
            assertThat(carBlocks(g, root, "15:34"))
                    .containsExactly(root, leaf(file, 1), leaf(file, 2), leaf(file, 3));
            assertThat(carBlocks(g, root, "-5:*")).containsExactly(root, leaf(file, 9));
            assertThat(carBlocks(g, root, "-1000:9")).containsExactly(root, leaf(file, 0));
            assertThat(carBlocks(g, root, "95:-1")).containsExactly(root, leaf(file, 9));
            assertThat(carBlocks(g, root, "40:1000")).hasSize(7);
            assertThat(carBlocks(g, root, "0:*")).hasSize(11);
            // empty after resolving (to before from): as dag-scope=block, the root alone
            assertThat(carBlocks(g, root, "50:-60")).containsExactly(root);

            HttpResponse<byte[]> past = get(g, "/ipfs/" + root + "?format=car&entity-bytes=100:*");
            assertThat(past.statusCode()).isEqualTo(400);
            assertThat(new String(past.body(), StandardCharsets.UTF_8))
                    .isEqualTo(
                            "entity-bytes=100:* is wholly past the end of the 100-byte file "
                                    + root
                                    + "\n");
            for (String bad : List.of("9", "a:b", "9:2", "1:2:3")) {
                HttpResponse<byte[]> r =
                        get(g, "/ipfs/" + root + "?format=car&entity-bytes=" + bad);
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
            }
            assertThat(get(g, "/ipfs/" + root + "?format=raw&entity-bytes=0:1").statusCode())
                    .isEqualTo(400);

            // each range has its own Etag, and none is the whole CAR's
            HttpResponse<byte[]> a = get(g, "/ipfs/" + root + "?format=car&entity-bytes=0:9");
            HttpResponse<byte[]> b = get(g, "/ipfs/" + root + "?format=car&entity-bytes=0:19");
            HttpResponse<byte[]> all = get(g, "/ipfs/" + root + "?format=car");
            assertThat(List.of(header(a, "Etag"), header(b, "Etag"), header(all, "Etag")))
                    .doesNotHaveDuplicates();
            assertThat(header(a, "Etag")).isEqualTo("\"" + root + ".car.entity.bytes-0_9\"");

            // a raw leaf as the entity: the block itself; a non-file (dag-cbor) ignores the range
            Cid leaf = leaf(file, 3);
            assertThat(carBlocks(g, leaf, "2:4")).containsExactly(leaf);
            List<Block> dag = GatewayTest.dag();
            store.putAll(dag);
            assertThat(carBlocks(g, dag.get(0).cid(), "0:1")).containsExactly(dag.get(0).cid());
        }
    }

    private static Cid leaf(List<Block> file, int i) {
        return file.get(i).cid();
    }

    private List<Cid> carBlocks(Gateway g, Cid root, String range) throws Exception {
        HttpResponse<byte[]> r = get(g, "/ipfs/" + root + "?format=car&entity-bytes=" + range);
        assertThat(r.statusCode()).as(range).isEqualTo(200);
        List<Cid> out = new ArrayList<>();
        try (CarReader c = CarReader.open(new ByteArrayInputStream(r.body()))) {
            for (CarReader.Section s = c.next(); s != null; s = c.next()) {
                out.add(s.block().cid());
            }
        }
        return out;
    }

    /**
     * Balanced multi-level files made by the npm importer (raw leaves with CIDv1, and dag-pb leaves
     * with CIDv0): for each range the JS exporter reads exactly the requested bytes from the CAR's
     * blocks alone, and the CAR holds no block the exporter does not read for that range from the
     * whole file.
     */
    @SuppressWarnings("unchecked")
    @Test
    void npmBuiltFilesReadTheirRangesFromEntityBytesCars(@TempDir Path dir) throws Exception {
        Path js = GatewayInteropTest.jsDir();
        assumeTrue(
                Files.isDirectory(js.resolve("node_modules/ipfs-unixfs-importer"))
                        && Files.isDirectory(js.resolve("node_modules/ipfs-unixfs-exporter")),
                "ipfs-unixfs-importer/exporter not installed: run .ci/setup.d/lava-lakes.sh");
        try (TieredStore store = TieredStore.open(dir.resolve("lake"), 1 << 22, 1 << 22);
                Gateway g = Gateway.start(store, new InetSocketAddress(LOOPBACK, 0))) {
            for (String rawLeaves : List.of("true", "false")) {
                Path car = dir.resolve("file-" + rawLeaves + ".car");
                node(js, "build", car.toAbsolutePath().toString(), "1000", "16", "3", rawLeaves);
                try (InputStream in = Files.newInputStream(car);
                        CarReader r = CarReader.open(in)) {
                    for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                        store.put(s.block());
                    }
                }
                List<String> specs =
                        List.of("0:0", "17:18", "100:350", "-20:*", "500:-100", "0:*", "990:5000");
                List<String> args = new ArrayList<>(List.of("check", g.baseUri().toString()));
                args.add(car.toAbsolutePath().toString());
                args.addAll(specs);
                Map<String, Object> out = node(js, args.toArray(String[]::new));
                List<Map<String, Object>> results = (List<Map<String, Object>>) out.get("results");
                assertThat(results).hasSize(specs.size());
                for (Map<String, Object> res : results) {
                    String spec = (String) res.get("spec");
                    assertThat(res.get("status")).as(spec).isEqualTo(200L);
                    assertThat(res.get("ok")).as(spec + ": " + res.get("error")).isEqualTo(true);
                    List<String> blocks = (List<String>) res.get("blocks");
                    assertThat((List<String>) res.get("needed")).as(spec).containsAll(blocks);
                }
                // a small range of a deep file is a few blocks, not the whole DAG
                Map<String, Object> small = results.get(1);
                assertThat((List<String>) small.get("blocks")).hasSizeLessThan(8);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> node(Path js, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "entity-bytes.mjs"));
        cmd.addAll(List.of(args));
        Process p =
                new ProcessBuilder(cmd).directory(js.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        String t = output.trim();
        return (Map<String, Object>) DagJson.decode(t.substring(t.lastIndexOf('\n') + 1));
    }
}
