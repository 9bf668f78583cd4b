package io.ipdm.lakes.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths through dag-cbor and dag-json blocks (IPLD pathing: map keys, list indexes, links followed
 * into the next block whatever its codec): the CAR holds the blocks along the path then the
 * target's by {@code dag-scope}; a path may end inside a block; a missing segment is a 404 naming
 * the segment, the block and why. Checked on data the reference JS codecs built (and verified by
 * them from our CARs), on the IPLD spec's CAR fixture (dag-cbor into dag-pb into raw) and on an Old
 * Faithful epoch CAR (real dag-cbor).
 */
class GatewayIpldPathTest {
    private final Map<Cid, Block> blocks = new HashMap<>();
    private final Responder responder = new Responder(blocks::get);

    private Responder.Reply get(String target) {
        return responder.respond("GET", target, null);
    }

    private static String text(Responder.Reply r) {
        return r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8).trim();
    }

    private static List<String> roots(Responder.Reply r) {
        return List.of(r.headers().get("X-Ipfs-Roots").split(","));
    }

    private static List<String> cids(Responder.Reply r) {
        return r.car().blocks().stream().map(Cid::toString).toList();
    }

    private void load(Path car) throws Exception {
        try (InputStream in = Files.newInputStream(car);
                CarReader r = CarReader.open(in)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                blocks.put(s.block().cid(), s.block());
            }
        }
    }

    private Block put(Multicodec codec, byte[] data) {
        Block b = Block.of(codec, data);
        blocks.put(b.cid(), b);
        return b;
    }

    @Test
    void mapsListsAndLinksAcrossDagCborAndDagJsonBlocks() {
        Block leaf = put(Multicodec.RAW, "leaf".getBytes(StandardCharsets.UTF_8));
        Block json =
                put(
                        Multicodec.DAG_JSON,
                        ("{\"leaf\":{\"/\":\"" + leaf.cid() + "\"},\"t\":[\"a\",\"b\"]}")
                                .getBytes(StandardCharsets.UTF_8));
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("json", json.cid());
        in.put("none", null);
        in.put("bytes", new byte[] {1, 2});
        Block inner = put(Multicodec.DAG_CBOR, DagCbor.encode(in));
        Block root =
                put(
                        Multicodec.DAG_CBOR,
                        DagCbor.encode(
                                Map.of(
                                        "list",
                                        List.of(7L, inner.cid()),
                                        "name",
                                        "r",
                                        "other",
                                        leaf.cid())));
        String r = "/ipfs/" + root.cid();

        // through cbor -> cbor -> json -> raw: every block on the way, the target last
        Responder.Reply toLeaf = get(r + "/list/1/json/leaf?format=car");
        assertThat(toLeaf.status()).as(text(toLeaf)).isEqualTo(200);
        assertThat(roots(toLeaf))
                .containsExactly(
                        root.cid().toString(),
                        root.cid().toString(),
                        inner.cid().toString(),
                        json.cid().toString(),
                        leaf.cid().toString());
        assertThat(toLeaf.car().root()).isEqualTo(root.cid());
        assertThat(cids(toLeaf))
                .containsExactly(
                        root.cid().toString(),
                        inner.cid().toString(),
                        json.cid().toString(),
                        leaf.cid().toString());

        // ending inside a block: all = that block then the DAGs under the named node's links only
        Responder.Reply list = get(r + "/list?format=car");
        assertThat(list.status()).isEqualTo(200);
        assertThat(roots(list)).containsExactly(root.cid().toString(), root.cid().toString());
        assertThat(cids(list))
                .containsExactly(
                        root.cid().toString(),
                        inner.cid().toString(),
                        json.cid().toString(),
                        leaf.cid().toString());
        Responder.Reply name = get(r + "/name?format=car");
        assertThat(cids(name)).containsExactly(root.cid().toString());
        Responder.Reply blockScope = get(r + "/list/1?format=car&dag-scope=block");
        assertThat(cids(blockScope)).containsExactly(root.cid().toString(), inner.cid().toString());
        Responder.Reply entity = get(r + "/list/1/json?format=car&dag-scope=entity");
        assertThat(cids(entity))
                .containsExactly(
                        root.cid().toString(), inner.cid().toString(), json.cid().toString());
        assertThat(get(r + "/list/1/none?format=car").status()).isEqualTo(200);
        assertThat(get(r + "/list/1/json/t/1?format=car").status()).isEqualTo(200);

        // a missing segment: 404 naming it, the path so far, the block and why
        assertThat(text(get(r + "/nope?format=car")))
                .isEqualTo(
                        "no 'nope' in "
                                + r
                                + " (block "
                                + root.cid()
                                + ", dag-cbor): the map (3 keys) has no key 'nope'");
        Responder.Reply past = get(r + "/list/2?format=car");
        assertThat(past.status()).isEqualTo(404);
        assertThat(text(past))
                .endsWith(
                        "(block "
                                + root.cid()
                                + ", dag-cbor): index 2 is past the end of the list (2 items)");
        assertThat(text(get(r + "/list/01?format=car")))
                .endsWith("'01' is not a list index (a list of 2)");
        assertThat(text(get(r + "/list/1/json/t/x?format=car")))
                .isEqualTo(
                        "no 'x' in "
                                + r
                                + "/list/1/json/t (block "
                                + json.cid()
                                + ", dag-json): 'x' is not a list index (a list of 2)");
        assertThat(text(get(r + "/name/x?format=car")))
                .endsWith("it is a string, which has no 'x' inside");
        assertThat(text(get(r + "/list/1/bytes/0?format=car")))
                .endsWith("it is bytes, which has no '0' inside");
        assertThat(text(get(r + "/list/1/none/x?format=car")))
                .endsWith("it is null, which has no 'x' inside");
        Responder.Reply intoRaw = get(r + "/other/x?format=car");
        assertThat(intoRaw.status()).isEqualTo(404);
        assertThat(text(intoRaw))
                .isEqualTo(r + "/other is a file (a raw block); it has no 'x' inside");
        // a linked block this node lacks
        blocks.remove(json.cid());
        Responder.Reply missing = get(r + "/list/1/json/leaf?format=car");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(text(missing))
                .isEqualTo("block " + json.cid() + " (" + r + "/list/1/json) not found");
    }

    /** The IPLD spec's CARv1 fixture: a dag-cbor root linking to a dag-pb tree of raw leaves. */
    @Test
    void theSpecFixturePathsFromDagCborIntoDagPbAndRaw() throws Exception {
        load(SharedData.dir("ipld/ipld-spec-car-fixtures/carv1-basic/carv1-basic.car"));
        String blip = "bafyreihyrpefhacm6kkp4ql6j6udakdit7g3dmkzfriqfykhjw6cad5lrm";
        Responder.Reply cat = get("/ipfs/" + blip + "/link/second/first/cat?format=car");
        assertThat(cat.status()).as(text(cat)).isEqualTo(200);
        assertThat(cids(cat))
                .containsExactly(
                        blip,
                        "QmNX6Tffavsya4xgBi2VJQnSuqy9GsxongxZZ9uZBqp16d",
                        "QmWXZxVQ9yZfhQxLD35eDR8LiMRsYtHxYqTFCBbJoiJVys",
                        "QmdwjhxpxzcMsR3qUuj7vUL8pbA7MgR3GAxWi2GLHjsKCT",
                        "bafkreidbxzk2ryxwwtqxem4l3xyyjvw35yu4tcct4cqeqxwo47zhxgxqwq");
        assertThat(
                        new String(
                                blocks.get(Cid.parse(cids(cat).get(4))).data(),
                                StandardCharsets.UTF_8))
                .isEqualTo("aaaa");
        String limbo = "bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm";
        Responder.Reply nul = get("/ipfs/" + limbo + "/link?format=car");
        assertThat(nul.status()).isEqualTo(200);
        assertThat(cids(nul)).containsExactly(limbo);
        assertThat(text(get("/ipfs/" + limbo + "/link/x?format=car")))
                .isEqualTo(
                        "no 'x' in /ipfs/"
                                + limbo
                                + "/link (block "
                                + limbo
                                + ", dag-cbor): it is null, which has no 'x' inside");
        Responder.Reply noName = get("/ipfs/" + blip + "/link/third?format=car");
        assertThat(noName.status()).isEqualTo(404);
        assertThat(text(noName)).isEqualTo("no 'third' in /ipfs/" + blip + "/link");
    }

    /**
     * go-car's Filecoin chain sample (Lotus dag-cbor): a path from the block header into the state
     * tree's HAMT node, whose text is not UTF-8 (strict decoding refuses it), to an actor's head.
     */
    @Test
    void aFilecoinChainCarIsPathedThroughBlocksWhoseTextIsNotUtf8() throws Exception {
        load(SharedData.dir("ipld/go-car/v2-testdata/sample-v1.car"));
        String root = "bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy";
        String state = "bafy2bzacebknq77pibgckt4dwh3w3xlora4zvql5jvwmotfbixbsig6lhhkne";
        assertThatThrownBy(() -> DagCbor.decode(blocks.get(Cid.parse(state)).data()))
                .hasMessageContaining("is not valid UTF-8");
        // header[6] is the state root; a HAMT node is [bitfield, [{"1": [[key, actor]]}]]
        Responder.Reply head = get("/ipfs/" + root + "/6/1/0/1/0/1/1?format=car&dag-scope=block");
        assertThat(head.status()).as(text(head)).isEqualTo(200);
        assertThat(cids(head))
                .containsExactly(
                        root,
                        state,
                        "bafy2bzacebc3bt6cedhoyw34drrmjvazhu4oj25er2ebk4u445pzycvq4ta4a");
        Responder.Reply nonce = get("/ipfs/" + root + "/6/1/0/1/0/1/2?format=car");
        assertThat(nonce.status()).isEqualTo(200);
        assertThat(cids(nonce)).containsExactly(root, state);
    }

    /**
     * An Old Faithful epoch CAR (Solana mainnet slots 0-9): a Subset node's blocks list by index,
     * into a Block node and its entries.
     */
    @SuppressWarnings("unchecked")
    @Test
    void anOldFaithfulSubsetIsPathedIntoItsBlocksAndEntries() throws Exception {
        Path dir = SharedData.dir("solana/yellowstone-faithful-epoch0-car");
        load(dir.resolve("epoch-0-1.car"));
        Map<String, Object> manifest =
                (Map<String, Object>)
                        DagJson.decode(Files.readString(dir.resolve("epoch-0-1.manifest.json")));
        Map<Long, String> bySlot = new HashMap<>();
        Map<String, String> kinds = new HashMap<>();
        for (Map<String, Object> b : (List<Map<String, Object>>) manifest.get("blocks")) {
            kinds.put((String) b.get("cid"), (String) b.get("faithful_kind"));
            if ("Block".equals(b.get("faithful_kind"))) {
                bySlot.put((Long) b.get("slot"), (String) b.get("cid"));
            }
        }
        String subset = "bafyreia7j4o364whssrt36odmq3tgryjcjfyjy7ab73akykjppk2f2qnhi";
        // Subset = [kind, first, last, blocks]
        for (long slot = 0; slot < 10; slot++) {
            Responder.Reply b =
                    get("/ipfs/" + subset + "/3/" + slot + "?format=car&dag-scope=block");
            assertThat(b.status()).as(text(b)).isEqualTo(200);
            assertThat(cids(b)).containsExactly(subset, bySlot.get(slot));
        }
        // Block = [kind, slot, shredding, entries, ...]: slot 9's first entry
        Responder.Reply entry = get("/ipfs/" + subset + "/3/9/3/0?format=car&dag-scope=block");
        assertThat(entry.status()).as(text(entry)).isEqualTo(200);
        List<String> path = cids(entry);
        assertThat(path).hasSize(3).startsWith(subset, bySlot.get(9L));
        assertThat(kinds.get(path.get(2))).isEqualTo("Entry");
        // the whole slot 9 block below the path: every block verifies
        Responder.Reply all = get("/ipfs/" + subset + "/3/9?format=car");
        for (Cid c : all.car().blocks()) {
            assertThat(c.verifies(blocks.get(c).data())).isTrue();
        }
        assertThat(all.car().blocks()).hasSizeGreaterThan(2);
        assertThat(text(get("/ipfs/" + subset + "/3/10?format=car")))
                .isEqualTo(
                        "no '10' in /ipfs/"
                                + subset
                                + "/3 (block "
                                + subset
                                + ", dag-cbor): index 10 is past the end of the list (10 items)");
    }

    /**
     * Data built by the reference JS codecs ({@code @ipld/dag-cbor}, {@code @ipld/dag-json}) is
     * pathed over HTTP, and the JS side checks each CAR: blocks match their CIDs, and walking the
     * path over the CAR's blocks alone (all and block scope) reaches the node we named.
     */
    @SuppressWarnings("unchecked")
    @Test
    void jsBuiltDagCborAndDagJsonArePathedAndTheCarsProveThePaths(@TempDir Path dir)
            throws Exception {
        Path js = GatewayInteropTest.jsDir();
        assumeTrue(
                Files.isDirectory(js.resolve("node_modules/@ipld/dag-cbor"))
                        && Files.isDirectory(js.resolve("node_modules/@ipld/dag-json")),
                "@ipld/dag-cbor or @ipld/dag-json not installed: run .ci/setup.d/lava-lakes.sh");
        Path car = dir.resolve("dag.car");
        Map<String, Object> built =
                (Map<String, Object>) node(js, "build", car.toAbsolutePath().toString());
        load(car);
        Map<String, String> cid = (Map<String, String>) built.get("cids");
        List<String> paths =
                List.of(
                        "name",
                        "list/1",
                        "list/1/json/title",
                        "list/2/deep/0/leaf",
                        "map/key with space/n",
                        "map/ü",
                        "list/1/none",
                        "leaf",
                        "map/nope",
                        "list/9");
        try (Gateway g =
                Gateway.start(
                        blocks::get, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            List<String> cmd = new ArrayList<>(List.of("check", g.baseUri().toString()));
            cmd.add(cid.get("root"));
            cmd.addAll(paths);
            Map<String, Object> out = (Map<String, Object>) node(js, cmd.toArray(String[]::new));
            Map<String, Map<String, Object>> by = new HashMap<>();
            for (Map<String, Object> r : (List<Map<String, Object>>) out.get("results")) {
                by.put((String) r.get("path"), r);
            }
            for (String p : paths.subList(0, 8)) {
                Map<String, Object> r = by.get(p);
                assertThat(r.get("status")).as(p + ": " + r).isEqualTo(200L);
                assertThat(r.get("verified")).as(p).isEqualTo(true);
                assertThat(r.get("carRoots")).isEqualTo(List.of(cid.get("root")));
                String[] segs = ((String) r.get("roots")).split(",");
                assertThat(segs[segs.length - 1]).as(p).isEqualTo(r.get("target"));
            }
            assertThat(by.get("name").get("value")).isEqualTo("root");
            assertThat(by.get("name").get("target")).isEqualTo(cid.get("root"));
            assertThat(by.get("list/1").get("target")).isEqualTo(cid.get("inner"));
            assertThat(by.get("list/1").get("blocks"))
                    .isEqualTo(
                            List.of(
                                    cid.get("root"),
                                    cid.get("inner"),
                                    cid.get("json"),
                                    cid.get("leaf")));
            assertThat(by.get("list/1/json/title").get("value"))
                    .isEqualTo("made by @ipld/dag-json");
            assertThat(by.get("list/1/json/title").get("target")).isEqualTo(cid.get("json"));
            assertThat(by.get("list/1/json/title").get("blockScopeBlocks"))
                    .isEqualTo(List.of(cid.get("root"), cid.get("inner"), cid.get("json")));
            assertThat(by.get("list/2/deep/0/leaf").get("target")).isEqualTo(cid.get("leaf"));
            assertThat(by.get("map/key with space/n").get("value")).isEqualTo(42L);
            assertThat(by.get("map/ü").get("value")).isEqualTo("unicode key");
            assertThat(by.get("list/1/none").get("value")).isNull();
            assertThat(by.get("leaf").get("blockScopeBlocks"))
                    .isEqualTo(List.of(cid.get("root"), cid.get("leaf")));
            assertThat(by.get("map/nope").get("status")).isEqualTo(404L);
            assertThat(by.get("map/nope").get("text"))
                    .isEqualTo(
                            "no 'nope' in /ipfs/"
                                    + cid.get("root")
                                    + "/map (block "
                                    + cid.get("root")
                                    + ", dag-cbor): the map (2 keys) has no key 'nope'");
            assertThat(by.get("list/9").get("status")).isEqualTo(404L);
            // what the JS side asked for, answered by our Responder the same way
            assertThat(
                            get("/ipfs/"
                                            + cid.get("root")
                                            + "/map/"
                                            + URLEncoder.encode(
                                                            "key with space",
                                                            StandardCharsets.UTF_8)
                                                    .replace("+", "%20")
                                            + "?format=car")
                                    .status())
                    .isEqualTo(200);
        }
    }

    private static Object node(Path js, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "dag-path.mjs"));
        cmd.addAll(List.of(args));
        Process p =
                new ProcessBuilder(cmd).directory(js.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        String t = output.trim();
        return DagJson.decode(t.substring(t.lastIndexOf('\n') + 1));
    }
}
