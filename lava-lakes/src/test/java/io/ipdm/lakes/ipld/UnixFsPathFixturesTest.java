package io.ipdm.lakes.ipld;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Paths through UnixFS trees go-ipfs/Kubo built (go-car's test CARs in ../shared/data): every entry
 * reachable in the CAR, in plain and HAMT-sharded directories alike (enumerated from the shard's
 * link names, not by hashing), resolves by its path to the CID its parent links. Skips when the
 * shared data is absent.
 */
class UnixFsPathFixturesTest {
    private final Map<Cid, Block> blocks = new HashMap<>();
    private final BlockSource source = blocks::get;
    private int resolved;
    private int inShards;

    private List<Cid> load(String car) throws Exception {
        try (InputStream in = Files.newInputStream(SharedData.dir(car));
                CarReader r = CarReader.open(in)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                blocks.put(s.block().cid(), s.block());
            }
            return r.header().roots();
        }
    }

    @Test
    void everyEntryOfKuboBuiltTreesResolvesByPath() throws Exception {
        for (Cid root : load("ipld/go-car/cmd-testdata/simple-unixfs.car")) {
            walk(root, root, new ArrayList<>(), false);
        }
        assertThat(resolved).isGreaterThan(5);
        for (Cid root :
                load("ipld/go-car/cmd-testdata/wikipedia-cryptographic-hash-function.car")) {
            walk(root, root, new ArrayList<>(), false);
        }
        assertThat(inShards).as("entries found inside HAMT shards").isPositive();
    }

    /** Resolves every entry under {@code dir} (reached by {@code path} from {@code root}). */
    private void walk(Cid root, Cid dir, List<String> path, boolean sharded) {
        Block b = blocks.get(dir);
        if (b == null || dir.codec() != Multicodec.DAG_PB.code()) {
            return;
        }
        DagPb.Node node = DagPb.decode(b.data());
        if (node.data() == null) {
            return;
        }
        UnixFsData d = UnixFsData.decode(node.data());
        if (d.type() == UnixFsData.Type.DIRECTORY) {
            for (DagPb.Link l : node.links()) {
                enter(root, path, l.name(), l.hash(), sharded);
            }
        } else if (d.type() == UnixFsData.Type.HAMT_SHARD) {
            shard(root, node, d, path);
        }
    }

    private void shard(Cid root, DagPb.Node node, UnixFsData d, List<String> path) {
        int width = Long.toHexString(d.fanout() - 1).length();
        for (DagPb.Link l : node.links()) {
            if (l.name().length() > width) {
                enter(root, path, l.name().substring(width), l.hash(), true);
            } else if (blocks.containsKey(l.hash())) {
                DagPb.Node sub = DagPb.decode(blocks.get(l.hash()).data());
                shard(root, sub, UnixFsData.decode(sub.data()), path);
            }
        }
    }

    private void enter(Cid root, List<String> path, String name, Cid cid, boolean sharded) {
        List<String> p = new ArrayList<>(path);
        p.add(name);
        if (!reachable(root, p)) {
            return;
        }
        UnixFsPath.Resolved r = UnixFsPath.resolve(source, root, p);
        assertThat(r.target()).as(String.join("/", p)).isEqualTo(cid);
        resolved++;
        if (sharded) {
            inShards++;
        }
        walk(root, cid, p, false);
    }

    /** Whether every block the path needs is in the CAR (they are partial DAGs). */
    private boolean reachable(Cid root, List<String> p) {
        try {
            UnixFsPath.resolve(source, root, p);
            return true;
        } catch (UnixFsPath.PathException e) {
            if (e.status() == 404 && e.getMessage().startsWith("block ")) {
                return false;
            }
            throw e;
        }
    }
}
