package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.durability.DurabilityEvent;
import io.ipdm.lakes.durability.RootStatus;
import io.ipdm.lakes.durability.Subscription;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four storage nodes in one JVM on loopback TCP keep a root at factor 2; one holder is closed. The
 * admin endpoint ({@code GET /durability/status?cid=}, what {@code ipdm net status} shows) of a
 * node left keeps the dead holder as {@code down}, with since when and its last claim, while the
 * next server fetches the root; {@code GET /durability} lists it with the root it held.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DurabilityDownPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<LakeNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (LakeNode n : nodes) {
            n.close();
        }
    }

    private LakeNode start(Path lake, List<Multiaddr> bootstrap) throws Exception {
        LakeNode n =
                LakeNode.start(
                        DurabilityServiceTest.storageConfig(lake, bootstrap, "").build(),
                        IpfsNetwork::install);
        nodes.add(n);
        return n;
    }

    private static JsonNode admin(LakeNode n, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(n.adminUri() + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }

    private static JsonNode server(JsonNode status, String peer) {
        for (JsonNode v : status.path("servers")) {
            if (v.path("peer").asText().equals(peer)) {
                return v;
            }
        }
        return null;
    }

    /** Nodes that hold the whole DAG and count themselves among its active servers. */
    private List<LakeNode> activeHolders(Cid root) {
        return nodes.stream()
                .filter(
                        n -> {
                            var st = n.durability().status(root);
                            return st.holdsLocally()
                                    && st.order().stream()
                                            .anyMatch(
                                                    v ->
                                                            v.self()
                                                                    && v.role()
                                                                            == RootStatus.Role
                                                                                    .ACTIVE);
                        })
                .toList();
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        await(() -> what, cond);
    }

    private static void await(java.util.function.Supplier<String> what, BooleanSupplier cond)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(200);
        }
    }

    @Test
    void aClosedHolderShowsDownInTheStatusWhileItsRootIsRepaired(@TempDir Path dir)
            throws Exception {
        byte[] content = new byte[2 * LakeCommands.CHUNK + 99];
        new Random(11).nextBytes(content);
        Path file = Files.write(dir.resolve("f.bin"), content);
        Cid root;
        try (LakeCommands l = LakeCommands.open(dir.resolve("n0"), StorageConfig.defaults())) {
            root = l.put(file);
        }
        LakeNode first = start(dir.resolve("n0"), List.of());
        List<Multiaddr> boot = List.of(first.mesh().addresses().get(0));
        for (int i = 1; i < 4; i++) {
            start(dir.resolve("n" + i), boot);
        }
        Subscription sub = new Subscription("subscription/down", List.of(root), 2, List.of(), "");
        assertThat(first.durability().submit(sub.sign(DurabilityServiceTest.USER, 1)))
                .extracting(DurabilityEvent::kind)
                .contains(DurabilityEvent.Kind.SUBSCRIPTION_ACCEPTED);
        await("2 active holders", () -> activeHolders(root).size() == 2);
        // one active holder goes (not the first node, which keeps its own pin); a node that counts
        // it among the root's active servers, holding it, watches (views differ for a while)
        List<LakeNode> holders = activeHolders(root);
        LakeNode gone = holders.get(0) == first ? holders.get(1) : holders.get(0);
        PeerId gonePeerId = gone.mesh().peerId();
        LakeNode[] watcher = {null};
        await(
                "a node that sees " + gonePeerId + " as an active holder",
                () -> {
                    for (LakeNode n : nodes) {
                        if (n != gone
                                && n.durability().status(root).order().stream()
                                        .anyMatch(
                                                v ->
                                                        v.peer().equals(gonePeerId)
                                                                && v.role()
                                                                        == RootStatus.Role.ACTIVE
                                                                && v.claimsAtMillis() > 0)) {
                            watcher[0] = n;
                            return true;
                        }
                    }
                    return false;
                });
        LakeNode viewer = watcher[0];
        String goneId = gone.mesh().peerId().toBase58();
        long before = System.currentTimeMillis();
        gone.close();
        nodes.remove(gone);

        LakeNode v = viewer;
        String[] last = {""};
        await(
                () -> "the closed holder " + goneId + " shows down; last: " + last[0],
                () -> {
                    try {
                        JsonNode st = admin(v, "/durability/status?cid=" + root);
                        last[0] = st + " " + admin(v, "/durability").path("down");
                        JsonNode s = server(st, goneId);
                        return s != null && s.path("role").asText().equals("down");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        JsonNode down = server(admin(v, "/durability/status?cid=" + root), goneId);
        assertThat(down.path("down_since").asText()).isNotEmpty();
        assertThat(java.time.Instant.parse(down.path("down_since").asText()).toEpochMilli())
                .isGreaterThanOrEqualTo(before / 1000 * 1000);
        assertThat(down.path("claims_at").isNull()).as("its last claim is kept").isFalse();

        // the repair: the root is back at 2 holders and the dead one is still shown
        await(
                "2 holders again",
                () ->
                        nodes.stream().filter(n -> n.store().has(root)).count() >= 2
                                && v.durability().status(root).holders() == 2);
        JsonNode after = admin(v, "/durability/status?cid=" + root);
        assertThat(server(after, goneId).path("role").asText()).isEqualTo("down");
        assertThat(after.path("holders").asInt()).isEqualTo(2);

        JsonNode summary = admin(v, "/durability");
        JsonNode listed = null;
        for (JsonNode d : summary.path("down")) {
            if (d.path("peer").asText().equals(goneId)) {
                listed = d;
            }
        }
        assertThat(listed).as("GET /durability lists the down peer: %s", summary).isNotNull();
        assertThat(listed.path("held").toString()).contains(root.toString());
    }
}
