package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage node announces the roots it pins (the "roots" provide strategy) and withdraws a root it
 * no longer pins: it stops republishing it and no longer names itself as its provider.
 */
class LakeNodeProvideTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @Test
    void pinnedRootsAreProvidedAndAnUnpinnedOneIsWithdrawn(@TempDir Path dir) throws Exception {
        NodeConfig cfg =
                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), dir.resolve("lake"))
                        .listen(List.of(ANY))
                        .build();
        try (LakeNode node = LakeNode.start(cfg, IpfsNetwork::install)) {
            Cid kept = put(node, "kept");
            Cid dropped = put(node, "dropped");
            node.announce();
            await(() -> node.status().providerRecords() == 2);
            assertThat(node.status().provided()).isEqualTo(2);

            node.store().unpin(dropped);
            node.announce();
            await(() -> node.status().providerRecords() == 1);
            assertThat(node.status().provided()).isEqualTo(1);
            assertThat(node.store().pins()).containsExactly(kept);
        }
    }

    private static Cid put(LakeNode node, String text) {
        Block b = Block.of(Multicodec.RAW, text.getBytes(StandardCharsets.UTF_8));
        node.store().put(b);
        node.store().pin(b.cid());
        return b.cid();
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
