package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.multiformats.Cid;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's decisions without sockets: one in-memory block source. */
class ResponderTest {
    private final List<Block> dag = GatewayTest.dag();
    private final Map<Cid, Block> blocks = new HashMap<>();
    private final Responder responder =
            new Responder(
                    new BlockSource() {
                        @Override
                        public Block get(Cid cid) {
                            return blocks.get(cid);
                        }

                        @Override
                        public boolean isGone(Cid cid) {
                            return cid.equals(dag.get(6).cid()) && !blocks.containsKey(cid);
                        }
                    });

    ResponderTest() {
        dag.forEach(b -> blocks.put(b.cid(), b));
    }

    private Responder.Reply get(String target, String accept) {
        return responder.respond("GET", target, accept);
    }

    private static String text(Responder.Reply r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void negotiatesRawAndCarv1FromFormatAndAccept() {
        String root = "/ipfs/" + dag.get(0).cid();
        assertThat(get(root + "?format=raw", null).body()).isEqualTo(dag.get(0).data());
        assertThat(get(root, "application/vnd.ipld.raw").car()).isNull();
        Responder.Reply car = get(root, "application/vnd.ipld.car;version=1;order=dfs;dups=n");
        assertThat(car.car().blocks()).isEqualTo(dag.stream().map(Block::cid).toList());
        assertThat(car.headers().get("Content-Type")).isEqualTo(Responder.CAR_TYPE);
        // highest quality first; q=0 is refusal
        assertThat(
                        get(root, "application/vnd.ipld.car;q=0.4, application/vnd.ipld.raw;q=0.9")
                                .car())
                .isNull();
        assertThat(get(root, "application/vnd.ipld.raw;q=0, application/vnd.ipld.car").car())
                .isNotNull();
        assertThat(get(root + "?format=car&dag-scope=block", null).car().blocks())
                .containsExactly(dag.get(0).cid());

        assertThat(get(root, "application/vnd.ipld.car; version=2").status()).isEqualTo(406);
        assertThat(get(root, "application/vnd.ipld.car; order=bfs").status()).isEqualTo(406);
        // ?format=car takes precedence over Accept's CAR parameters: the CARv1 it serves
        Responder.Reply formatWins =
                get(root + "?format=car", "application/vnd.ipld.car; order=bfs");
        assertThat(formatWins.status()).isEqualTo(200);
        assertThat(formatWins.headers().get("Content-Type")).isEqualTo(Responder.CAR_TYPE);
        assertThat(get(root + "?format=raw", "application/vnd.ipld.car; version=2").status())
                .isEqualTo(200);
        assertThat(get(root, "text/html, */*").status()).isEqualTo(400);
    }

    @Test
    void echoedValuesAreCut() {
        String longFormat = "x".repeat(100_000);
        Responder.Reply r = get("/ipfs/" + dag.get(0).cid() + "?format=" + longFormat, null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(text(r))
                .isEqualTo(
                        "unsupported format '"
                                + "x".repeat(80)
                                + "... (100000 characters)'; use raw or car\n");
        assertThat(Responder.cut("a\u0000b\nc")).isEqualTo("a?b?c");
        Responder.Reply method = responder.respond("PUT" + "X".repeat(500), "/", null);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.body().length).isLessThan(200);
    }

    @Test
    void pathsAndBlockStates() {
        assertThat(get("/ipfs/%zz?format=raw", null).status()).isEqualTo(400);
        assertThat(get("*", null).status()).isEqualTo(400);
        assertThat(get("/ipfs", null).status()).isEqualTo(400);
        assertThat(text(get("/ipfs/", null))).isEqualTo("no CID: request /ipfs/{cid}\n");
        assertThat(get("/ipns/example.com?format=raw", null).status()).isEqualTo(404);
        assertThat(get("http://h/ipfs/" + dag.get(0).cid() + "/?format=raw", null).status())
                .isEqualTo(200);
        Cid gone = dag.get(6).cid();
        blocks.remove(gone);
        assertThat(get("/ipfs/" + gone + "?format=raw", null).status()).isEqualTo(410);
        Responder.Reply partial = get("/ipfs/" + dag.get(0).cid() + "?format=car", null);
        assertThat(partial.status()).isEqualTo(404);
        assertThat(text(partial))
                .isEqualTo(
                        "block "
                                + gone
                                + " of the DAG under "
                                + dag.get(0).cid()
                                + " is missing\n");
        assertThat(get("/ipfs/bafkqaaa?format=raw", null).body()).isEmpty();
        assertThat(get("/ipfs/bafkqaaa?format=car", null).car().blocks()).isEmpty();
    }

    @Test
    void connectionLimiterCountsPerClientAndInAll() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(2, 3);
        InetAddress a = InetAddress.getByName("127.0.0.1");
        InetAddress b = InetAddress.getByName("127.0.0.2");
        assertThat(l.tryAcquire(a)).isTrue();
        assertThat(l.tryAcquire(a)).isTrue();
        assertThat(l.tryAcquire(a)).isFalse();
        assertThat(l.tryAcquire(b)).isTrue();
        assertThat(l.tryAcquire(b)).isFalse(); // 3 in all
        l.release(a);
        assertThat(l.tryAcquire(b)).isTrue();
        assertThat(l.open(a)).isEqualTo(1);
        assertThat(l.open(b)).isEqualTo(2);
    }
}
