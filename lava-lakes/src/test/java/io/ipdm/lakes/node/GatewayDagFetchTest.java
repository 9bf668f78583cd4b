package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway-only node serving a real Old Faithful CAR (epoch 0, slots 0-9: 712 dag-cbor blocks)
 * that two storage nodes hold, all {@link LakeNode}s over loopback TCP with real Bitswap: the CAR
 * is fetched as a DAG, level by level in batched want-lists, not one network round trip per block.
 * Counted by the gateway's Bitswap engine ({@code ipdm_node_bitswap_*}) and its read path: the
 * messages it sent stay far below one per block, every block is asked for by want-block about once,
 * and the root's provider lookup is the only one (the DAG fetch asks the peers that served the
 * root).
 */
class GatewayDagFetchTest {
    private static final Multiaddr ANY = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final List<LakeNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private static Map<Cid, byte[]> blocks(InputStream car) throws Exception {
        Map<Cid, byte[]> out = new LinkedHashMap<>();
        try (CarReader r = CarReader.open(car)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                Block b = s.block(); // the reader re-hashes every block against its CID
                out.put(b.cid(), b.data());
            }
        }
        return out;
    }

    private static long metric(LakeNode n, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)").matcher(n.metrics().scrape());
        assertThat(m.find()).as("metric %s", name).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aCarIsFetchedInBatchedWantListsNotABlockPerRoundTrip(@TempDir Path dir) throws Exception {
        Path car =
                SharedData.dir("solana/yellowstone-faithful-epoch0-car").resolve("epoch-0-1.car");
        Map<Cid, byte[]> archive = blocks(Files.newInputStream(car));
        Cid root;
        try (CarReader r = CarReader.open(Files.newInputStream(car))) {
            root = r.header().roots().get(0);
        }
        assertThat(archive).hasSize(712);

        List<Multiaddr> first = List.of();
        for (int i = 0; i < 2; i++) {
            LakeNode s =
                    LakeNode.start(
                            NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), dir.resolve("s" + i))
                                    .listen(List.of(ANY))
                                    .bootstrap(first)
                                    .build(),
                            IpfsNetwork::install);
            nodes.add(s);
            archive.forEach((c, d) -> s.store().put(new Block(c, d)));
            first = List.of(s.mesh().addresses().get(0));
        }
        LakeNode gateway =
                LakeNode.start(
                        NodeConfig.builder(EnumSet.of(NodeRole.GATEWAY), dir.resolve("g"))
                                .listen(List.of(ANY))
                                .bootstrap(first)
                                .build(),
                        IpfsNetwork::install);
        nodes.add(gateway);

        HttpResponse<byte[]> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                gateway.gateway()
                                                        .baseUri()
                                                        .resolve("/ipfs/" + root + "?format=car"))
                                        .timeout(Duration.ofSeconds(120))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        Map<Cid, byte[]> served = blocks(new ByteArrayInputStream(r.body()));
        assertThat(served.keySet()).containsExactlyInAnyOrderElementsOf(archive.keySet());

        long messages = metric(gateway, "ipdm_node_bitswap_messages_sent_total");
        long wantBlocks = metric(gateway, "ipdm_node_bitswap_want_blocks_sent_total");
        long wantHaves = metric(gateway, "ipdm_node_bitswap_want_haves_sent_total");
        long received = metric(gateway, "ipdm_node_bitswap_blocks_received_total");
        long dagLookups = metric(gateway, "ipdm_node_dag_fetch_lookups_total");
        long readLookups = gateway.reads().network().lookups();
        String counts =
                String.format(
                        "messages %d, want-blocks %d, want-haves %d, blocks received %d, DAG"
                                + " fetch lookups %d, read lookups %d",
                        messages, wantBlocks, wantHaves, received, dagLookups, readLookups);
        System.out.println("gateway Bitswap for 712 blocks: " + counts);
        // a walk reading one block at a time sends at least one message per block (712)
        assertThat(messages).as(counts).isLessThan(712 / 4);
        assertThat(received).as(counts).isBetween(712L, 712L + 16);
        assertThat(wantBlocks).as(counts).isBetween(712L, 712L + 64);
        // want-haves look for more holders of the DAG: at most one per block and other peer
        assertThat(wantHaves).as(counts).isLessThanOrEqualTo(2 * 712);
        assertThat(readLookups).as(counts).isLessThanOrEqualTo(1);
        assertThat(dagLookups).as(counts).isZero();
    }
}
