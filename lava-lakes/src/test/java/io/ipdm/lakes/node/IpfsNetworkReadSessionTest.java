package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.bitswap.BitswapConfig;
import io.ipdm.lakes.bitswap.BitswapNetwork;
import io.ipdm.lakes.bitswap.BlockStore;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.network.NetworkBlocks;
import io.ipdm.lakes.network.Provider;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Block-by-block reads through the network read path a gateway uses ({@link NetworkBlocks} over
 * {@link IpfsNetwork}'s exchange), between two nodes over real TCP: what the first block taught the
 * reader (who holds the DAG) carries over to the next blocks.
 */
class IpfsNetworkReadSessionTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** The storage peer's blocks, counting what it is asked: has() answers want-haves only. */
    private static final class CountingStore implements BlockStore {
        final Map<Cid, Block> blocks = new HashMap<>();
        final AtomicInteger wantHaves = new AtomicInteger();
        final AtomicInteger wantBlocks = new AtomicInteger();

        @Override
        public Block get(Cid cid) {
            wantBlocks.incrementAndGet();
            return blocks.get(cid);
        }

        @Override
        public boolean has(Cid cid) {
            wantHaves.incrementAndGet();
            return blocks.containsKey(cid);
        }
    }

    @Test
    void blocksAfterTheFirstGoAsWantBlocksToThePeerThatServedIt() throws Exception {
        Random rnd = new Random(42);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] c = new byte[1024];
            rnd.nextBytes(c);
            chunks.add(c);
        }
        List<Block> file = UnixFsFile.build(chunks);
        Block root = file.get(file.size() - 1);
        CountingStore held = new CountingStore();
        file.forEach(b -> held.blocks.put(b.cid(), b));

        MeshNode storage =
                MeshNode.start(
                        MeshNodeConfig.of(
                                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                                List.of(),
                                List.of()));
        open.add(storage);
        BitswapNetwork served =
                BitswapNetwork.start(
                        storage.host(), held, BitswapConfig.defaults(), Clock.systemUTC());
        open.add(served);

        MeshNode gateway = MeshNode.start(MeshNodeConfig.of(List.of(), List.of(), List.of()));
        open.add(gateway);
        NetworkStack stack = IpfsNetwork.install(gateway, null, false, List.of());
        open.add(stack);
        NetworkBlocks reads =
                new NetworkBlocks(
                        stack.routing(),
                        stack.exchange(),
                        List.of(Provider.of(storage.addresses().get(0))),
                        Duration.ofSeconds(30));

        // the gateway's walk: one block at a time, its links read after it
        Block first = reads.get(root.cid());
        assertThat(first.data()).isEqualTo(root.data());
        int haveAfterFirst = held.wantHaves.get();
        int blockAfterFirst = held.wantBlocks.get();
        assertThat(haveAfterFirst).as("the first block is looked for by want-have").isEqualTo(1);
        Deque<Cid> todo = new ArrayDeque<>(Links.of(first));
        int read = 1;
        while (!todo.isEmpty()) {
            Cid c = todo.pop();
            Block b = reads.get(c);
            assertThat(b.cid()).isEqualTo(c);
            List<Cid> links = Links.of(b);
            for (int i = links.size() - 1; i >= 0; i--) {
                todo.push(links.get(i));
            }
            read++;
        }
        assertThat(read).isEqualTo(file.size());
        assertThat(held.wantHaves.get())
                .as("want-haves the storage peer got after the first block")
                .isEqualTo(haveAfterFirst);
        assertThat(held.wantBlocks.get() - blockAfterFirst)
                .as("every later block asked for once, by want-block")
                .isEqualTo(file.size() - 1);
        assertThat(stack.exchange().pendingWants()).isZero();

        // a read given up on withdraws its want; the shared session keeps serving the others
        Cid missing = Block.of(Multicodec.RAW, "held by nobody".getBytes()).cid();
        CompletableFuture<Block> gone =
                stack.exchange().fetch(missing, List.of(Provider.of(storage.addresses().get(0))));
        for (int i = 0; i < 500 && stack.exchange().pendingWants() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(stack.exchange().pendingWants()).as("the missing block is wanted").isEqualTo(1);
        gone.cancel(true);
        for (int i = 0; i < 500 && stack.exchange().pendingWants() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(stack.exchange().pendingWants()).as("the cancelled want withdrawn").isZero();
        Block again = file.get(0);
        assertThat(
                        stack.exchange()
                                .fetch(
                                        again.cid(),
                                        List.of(Provider.of(storage.addresses().get(0))))
                                .get(30, TimeUnit.SECONDS)
                                .data())
                .isEqualTo(again.data());
    }
}
