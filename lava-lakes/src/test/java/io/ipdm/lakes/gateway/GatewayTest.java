package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTest {
    private final HttpClient http = HttpClient.newHttpClient();

    /** A three-level dag-cbor DAG with raw leaves; returns blocks, root first. */
    static List<Block> dag() {
        List<Block> leaves = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leaves.add(Block.of(Multicodec.RAW, ("leaf " + i).getBytes()));
        }
        Block mid1 =
                Block.of(
                        Multicodec.DAG_CBOR,
                        DagCbor.encode(
                                Map.of("l", List.of(leaves.get(0).cid(), leaves.get(1).cid()))));
        Block mid2 =
                Block.of(
                        Multicodec.DAG_CBOR,
                        DagCbor.encode(
                                Map.of("l", List.of(leaves.get(2).cid(), leaves.get(3).cid()))));
        Block root =
                Block.of(
                        Multicodec.DAG_CBOR,
                        DagCbor.encode(Map.of("a", mid1.cid(), "b", mid2.cid(), "n", 7L)));
        return List.of(
                root, mid1, leaves.get(0), leaves.get(1), mid2, leaves.get(2), leaves.get(3));
    }

    private HttpResponse<byte[]> send(URI base, String method, String path, String accept)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesRawAndCarWithTheSpecStatuses(@TempDir Path dir) throws Exception {
        List<Block> dag = dag();
        try (TieredStore store = TieredStore.open(dir, 1 << 20, 1 << 20);
                Gateway g =
                        Gateway.start(
                                store,
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            store.putAll(dag);
            URI base = g.baseUri();
            Cid root = dag.get(0).cid();

            HttpResponse<byte[]> raw = send(base, "GET", "/ipfs/" + root + "?format=raw", null);
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.headers().firstValue("Content-Type"))
                    .hasValue("application/vnd.ipld.raw");
            assertThat(raw.body()).isEqualTo(dag.get(0).data());

            HttpResponse<byte[]> car =
                    send(base, "GET", "/ipfs/" + root, "application/vnd.ipld.car");
            assertThat(car.statusCode()).isEqualTo(200);
            assertThat(car.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/vnd.ipld.car");
            List<Cid> got = new ArrayList<>();
            try (CarReader r = CarReader.open(new ByteArrayInputStream(car.body()))) {
                assertThat(r.header().roots()).containsExactly(root);
                for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                    got.add(s.block().cid());
                }
            }
            assertThat(got).isEqualTo(dag.stream().map(Block::cid).toList());

            HttpResponse<byte[]> scoped =
                    send(base, "GET", "/ipfs/" + root + "?format=car&dag-scope=block", null);
            assertThat(scoped.body().length).isLessThan(car.body().length);

            HttpResponse<byte[]> head = send(base, "HEAD", "/ipfs/" + root + "?format=raw", null);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length"))
                    .hasValue(Integer.toString(dag.get(0).data().length));
            assertThat(head.body()).isEmpty();

            assertThat(send(base, "GET", "/ipfs/nope?format=raw", null).statusCode())
                    .isEqualTo(400);
            assertThat(new String(send(base, "GET", "/ipfs/" + root, null).body()))
                    .startsWith("request a verifiable response: ?format=raw or ?format=car");
            assertThat(send(base, "GET", "/ipfs/" + root + "?format=tar", null).statusCode())
                    .isEqualTo(400);
            assertThat(send(base, "GET", "/ipfs/" + root + "/a/b?format=raw", null).statusCode())
                    .isEqualTo(400);
            Cid unknown = Cid.sha256(Multicodec.RAW, new byte[] {9});
            assertThat(send(base, "GET", "/ipfs/" + unknown + "?format=raw", null).statusCode())
                    .isEqualTo(404);
            assertThat(send(base, "POST", "/ipfs/" + root + "?format=raw", null).statusCode())
                    .isEqualTo(405);

            store.delete(dag.get(6).cid());
            HttpResponse<byte[]> gone =
                    send(base, "GET", "/ipfs/" + dag.get(6).cid() + "?format=raw", null);
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(new String(gone.body()))
                    .isEqualTo("block " + dag.get(6).cid() + " was deleted from this node\n");
            HttpResponse<byte[]> partial = send(base, "GET", "/ipfs/" + root + "?format=car", null);
            assertThat(partial.statusCode()).isEqualTo(404);
            assertThat(new String(partial.body()))
                    .isEqualTo(
                            "block "
                                    + dag.get(6).cid()
                                    + " of the DAG under "
                                    + root
                                    + " is missing\n");
        }
    }
}
