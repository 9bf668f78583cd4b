package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.mesh.riblt.SyncConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The signed-record policy of {@code ipdm node} is its {@code --trust} file, read at start: a
 * subscription record by a key the file does not give the {@code subscribe} role is refused when
 * the node loads its record log (said in {@code records.recovery}); started again with a file that
 * trusts the key, the node holds the record.
 */
class NodeTrustRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SignedRecord sub(Ed25519KeyPair author) {
        return SignedRecord.sign(
                author,
                ("subscription/" + author.peerId()).getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8),
                1);
    }

    private static void trust(Path keys, Ed25519KeyPair... subscribers) throws Exception {
        StringBuilder sb = new StringBuilder("keys:\n");
        for (int i = 0; i < subscribers.length; i++) {
            sb.append("  - name: k")
                    .append(i)
                    .append("\n    peer_id: ")
                    .append(subscribers[i].peerId())
                    .append("\n    roles: [subscribe]\n");
        }
        Files.writeString(keys, sb.toString());
    }

    /** Starts {@code ipdm node} on a thread, returns its status records, stops it. */
    private static JsonNode records(Path lake, Path keys) throws Exception {
        CommandLine cl = IpdmCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        NodeCommand command = cl.getSubcommands().get("node").getCommand();
        Files.deleteIfExists(lake.resolve("node.json"));
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(
                        () ->
                                cl.execute(
                                        "node",
                                        "--lake",
                                        lake.toString(),
                                        "--listen",
                                        "/ip4/127.0.0.1/tcp/0",
                                        "--gateway-port",
                                        "0",
                                        "--trust",
                                        keys.toString()));
        try {
            for (int i = 0; i < 600 && !Files.exists(lake.resolve("node.json")); i++) {
                assertThat(exit).as(err::toString).isNotDone();
                Thread.sleep(100);
            }
            CommandLine st = IpdmCli.commandLine();
            StringWriter out = new StringWriter();
            st.setOut(new PrintWriter(out, true));
            st.setErr(new PrintWriter(err, true));
            assertThat(st.execute("node", "status", "--lake", lake.toString(), "--json"))
                    .as(err::toString)
                    .isZero();
            return JSON.readTree(out.toString()).path("records");
        } finally {
            command.stop.countDown();
            assertThat(exit.get(1, TimeUnit.MINUTES)).as(err::toString).isZero();
        }
    }

    @Test
    void recordsAreAcceptedByTheTrustFileTheNodeStartedWith(@TempDir Path dir) throws Exception {
        Path lake = dir.resolve("lake");
        Ed25519KeyPair alice = Ed25519KeyPair.fromSeed(new byte[32]);
        byte[] seed = new byte[32];
        seed[0] = 9;
        Ed25519KeyPair bob = Ed25519KeyPair.fromSeed(seed);
        Path log = lake.resolve("records").resolve("records.log");
        Files.createDirectories(log.getParent());
        try (RecordStore s = RecordStore.open(log, SyncConfig.defaults().maxValueBytes())) {
            s.put(sub(alice));
            s.put(sub(bob));
        }
        Path keys = dir.resolve("keys.yaml");

        trust(keys, alice);
        JsonNode first = records(lake, keys);
        assertThat(first.path("records").asInt()).as("%s", first).isEqualTo(1);
        assertThat(first.path("recovery").asText())
                .isEqualTo("1 logged records were refused on reload");

        trust(keys, alice, bob);
        JsonNode second = records(lake, keys);
        assertThat(second.path("records").asInt()).as("%s", second).isEqualTo(2);
        assertThat(second.path("recovery").isNull()).as("%s", second).isTrue();
    }
}
