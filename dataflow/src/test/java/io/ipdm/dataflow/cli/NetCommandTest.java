package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.LakeNode;
import io.ipdm.lakes.node.NodeConfig;
import io.ipdm.lakes.node.NodeInfo;
import io.ipdm.lakes.node.NodeRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ipdm net} without a network: replication-file mistakes with file, line and column, a node
 * that is not running, bad CIDs, the tables drawn from endpoint JSON, and a small simulation. The
 * commands against running nodes are in {@code DurabilityNetworkITCase}.
 */
class NetCommandTest extends CommandLineTest {
    private static final String ROOT =
            "bafybeiaysi4s6lnjev27ln5icwm6tueaw2vdykrtjkwiphwekaywqhcjze";
    private static final String PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                    unknown key      | name: a\\nroots: [ROOT]\\nfactr: 3\\n                     | 3:1: unknown key 'factr'; keys: name, roots, factor, servers, domain, version
                    no roots         | name: a\\n                                               | 1:1: missing `roots:`
                    roots as a map   | name: a\\nroots:\\n  x: ROOT\\n                            | 3:3: roots: expected a list, got a map; did you miss a dash `-`?
                    bad cid          | name: a\\nroots:\\n  - bafynotacid\\n                       | 3:5: roots: 'bafynotacid' is not a CID
                    twice            | name: a\\nroots:\\n  - ROOT\\n  - ROOT\\n                  | 4:5: roots: ROOT is listed twice
                    factor 0         | name: a\\nroots: [ROOT]\\nfactor: 0\\n                     | 3:9: factor: 0 is out of range; give 1 to 64
                    factor text      | name: a\\nroots: [ROOT]\\nfactor: three\\n                 | 3:9: factor: expected a whole number, got a string 'three'
                    few servers      | name: a\\nroots: [ROOT]\\nservers: [PEER]\\n               | 3:10: servers: 1 servers for factor 3; list at least as many servers as the factor (more become reserves)
                    bad server       | name: a\\nroots: [ROOT]\\nfactor: 1\\nservers: [nope]\\n   | 4:11: servers: 'nope' is not a peer id
                    servers+domain   | name: a\\nroots: [ROOT]\\nfactor: 1\\nservers: [PEER]\\ndomain: eu\\n | 5:9: domain: give servers or domain, not both (servers already name the nodes)
                    bad name         | name: a/b\\nroots: [ROOT]\\n                               | 1:7: name: 'a/b' must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit
                    negative version | name: a\\nroots: [ROOT]\\nversion: -1\\n                   | 3:10: version: -1 must be >= 0
                    """)
    void replicationFileMistakesArePositioned(
            String what, String yaml, String error, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("replication.yaml");
        Files.writeString(
                f,
                yaml.strip().replace("\\n", "\n").replace("ROOT", ROOT).replace("PEER", PEER)
                        + "\n");
        assertThat(run("net", "subscribe", f.toString(), "--node", dir.toString()))
                .as(what)
                .isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString())
                .as(what)
                .startsWith("ipdm net subscribe: " + f + ":" + error.replace("ROOT", ROOT));
    }

    @Test
    void aGoodFileParsesToItsModel() {
        ReplicationFile f =
                ReplicationFile.parse(
                        "name: solana-epoch-0\nroots:\n  - "
                                + ROOT
                                + "\nfactor: 2\nservers: ["
                                + PEER
                                + ", 12D3KooWRBhwfeP2Y4TCx1SM6s9rUoHhR5STiGwxBhgFRcw3UERE]\nversion: 9\n",
                        "r.yaml");
        assertThat(f.name()).isEqualTo("solana-epoch-0");
        assertThat(f.roots()).extracting(Object::toString).containsExactly(ROOT);
        assertThat(f.factor()).isEqualTo(2);
        assertThat(f.servers()).hasSize(2);
        assertThat(f.domain()).isNull();
        assertThat(f.version()).isEqualTo(9L);
        ReplicationFile d =
                ReplicationFile.parse("name: x\nroots: " + ROOT + "\ndomain: eu\n", "r");
        assertThat(d.factor()).isEqualTo(ReplicationFile.DEFAULT_FACTOR);
        assertThat(d.domain()).isEqualTo("eu");
        assertThat(d.version()).isNull();
    }

    @Test
    void aNodeThatIsNotRunningIsNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.yaml");
        Files.writeString(f, "name: a\nroots: [" + ROOT + "]\n");
        Path lake = dir.resolve("lake");
        assertThat(
                        run(
                                "net",
                                "subscribe",
                                f.toString(),
                                "--node",
                                lake.toString(),
                                "--key",
                                dir.resolve("k.key").toString()))
                .isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString())
                .contains("ipdm net subscribe: no node is running on " + lake)
                .contains("start one with `ipdm node --lake " + lake + "`");
        err.getBuffer().setLength(0);
        assertThat(run("net", "ranking", "--node", "http://127.0.0.1:1"))
                .isEqualTo(IpdmCli.JOB_FAILED);
        assertThat(err.toString())
                .startsWith("ipdm net ranking: the node at http://127.0.0.1:1 does not answer");
    }

    /**
     * A node killed with SIGKILL leaves node.json behind: when its pid is gone and its admin
     * address refuses, no node runs on the lake, which is exit 2 with what to do, not "does not
     * answer".
     */
    @Test
    void aKilledNodesLeftoverFileIsNamedWithItsDeadPid(@TempDir Path lake) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        new NodeInfo(gone.pid(), PEER, "http://127.0.0.1:1", null, java.util.List.of()).write(lake);
        String expected =
                ": no node is running on "
                        + lake
                        + ": "
                        + NodeInfo.file(lake)
                        + " names pid "
                        + gone.pid()
                        + ", which is not running (the node was killed or crashed before removing"
                        + " the file); start it again with `ipdm node --lake "
                        + lake
                        + "`, which replaces the file\n";
        assertThat(run("node", "status", "--lake", lake.toString())).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).isEqualTo("ipdm node status" + expected);
        err.getBuffer().setLength(0);
        assertThat(run("net", "ranking", "--node", lake.toString())).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).isEqualTo("ipdm net ranking" + expected);
        err.getBuffer().setLength(0);
        // a live pid (this JVM) whose admin address refuses is a node that does not answer: exit 1
        new NodeInfo(
                        ProcessHandle.current().pid(),
                        PEER,
                        "http://127.0.0.1:1",
                        null,
                        java.util.List.of())
                .write(lake);
        assertThat(run("net", "ranking", "--node", lake.toString())).isEqualTo(IpdmCli.JOB_FAILED);
        assertThat(err.toString())
                .startsWith("ipdm net ranking: the node at http://127.0.0.1:1 does not answer")
                .contains("it may have stopped without removing " + NodeInfo.file(lake));
    }

    /** An admin URL without http:// and a host is refused as such (exit 2), not by the client. */
    @Test
    void anAdminAddressThatIsNotAUrlIsRefused() {
        for (String bad : List.of("notaurl", "127.0.0.1:8080", "ftp://127.0.0.1:1")) {
            err.getBuffer().setLength(0);
            assertThat(run("node", "status", "--admin", bad)).as(bad).isEqualTo(IpdmCli.BAD_INPUT);
            assertThat(err.toString())
                    .isEqualTo(
                            "ipdm node status: '"
                                    + bad
                                    + "' is not an admin URL: give http://HOST:PORT, as the node"
                                    + " prints on its `status` line and writes as `admin` in"
                                    + " DIR/node.json\n");
        }
    }

    @Test
    void statusWantsACid() {
        assertThat(run("net", "status", "not-a-cid", "--node", "http://127.0.0.1:1"))
                .isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).startsWith("ipdm net status: 'not-a-cid' is not a CID");
    }

    @Test
    void tablesShowHoldersChallengesAndExcludedNodes() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode st =
                m.readTree(
                        """
                        {"cid":"ROOT","factor":3,"holders":2,"subscriptions":1,"holds_locally":true,
                         "under_replicated":true,"servers":[
                          {"peer":"A","self":true,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null},
                          {"peer":"B","self":false,"role":"active","claims_at":"2026-12-06T06:46:49Z","last_challenge":"stored","last_challenge_at":"2026-12-06T06:47:55Z"},
                          {"peer":"C","self":false,"role":"down","claims_at":null,"last_challenge":"timed_out","last_challenge_at":"2026-12-06T06:47:01Z"}]}
                        """);
        String t = NetCommand.statusTable(st);
        assertThat(t)
                .contains("factor         2 holders now, 3 wanted")
                .contains("A (self)")
                .contains("stored at 2026-12-06T06:47:55Z")
                .endsWith(
                        "error: only 2 of 3 servers reachable; the best possible is done and repair"
                                + " resumes when servers return\n");
        JsonNode rk =
                m.readTree(
                        """
                        {"peers":[{"peer":"B","stored":4.0,"lost":0.0,"rank":0.833,"offences":0.0,"low_ranked":false,"excluded":false,"last_outcome":"stored","last_outcome_at":"t1"},
                                  {"peer":"L","stored":0.0,"lost":3.0,"rank":0.2,"offences":3.5,"low_ranked":true,"excluded":true,"last_outcome":"lost","last_outcome_at":"t2"}]}
                        """);
        String r = NetCommand.rankingTable(rk);
        assertThat(r.lines().toList()).hasSize(3);
        assertThat(r.lines().toList().get(1)).contains(" ok ").contains("stored at t1");
        assertThat(r.lines().toList().get(2)).contains("EXCLUDED").contains("lost at t2");
    }

    /** Full peer ids with "(self)" and claim times with milliseconds keep the columns aligned. */
    @Test
    void statusColumnsLineUpWithFullPeerIdsAndTimes() throws Exception {
        String other = "12D3KooWRBhwfeP2Y4TCx1SM6s9rUoHhR5STiGwxBhgFRcw3UERE";
        JsonNode st =
                new ObjectMapper()
                        .readTree(
                                """
                                {"cid":"ROOT","factor":2,"holders":2,"subscriptions":1,"holds_locally":true,
                                 "under_replicated":false,"servers":[
                                  {"peer":"SELF","self":true,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null},
                                  {"peer":"OTHER","self":false,"role":"active","claims_at":"2026-12-07T05:32:25.973Z","last_challenge":"stored","last_challenge_at":"2026-12-07T05:32:28.775Z"},
                                  {"peer":"OTHER","self":false,"role":"reserve","claims_at":null,"last_challenge":null,"last_challenge_at":null}]}
                                """
                                        .replace("SELF", PEER)
                                        .replace("OTHER", other));
        List<String> lines = NetCommand.statusTable(st).lines().toList().subList(4, 8);
        assertThat(lines.get(0)).startsWith("server ");
        assertThat(lines.get(1)).startsWith(PEER + " (self)");
        for (String column : List.of("role", "holds since", "last challenge")) {
            int at = lines.get(0).indexOf(column);
            assertThat(lines.subList(1, 4))
                    .as(column + " in\n" + String.join("\n", lines))
                    .allSatisfy(
                            l -> {
                                assertThat(l.charAt(at - 1)).isEqualTo(' ');
                                assertThat(l.charAt(at)).isNotEqualTo(' ');
                            });
        }
        assertThat(lines.get(2))
                .endsWith("2026-12-07T05:32:25.973Z  stored at 2026-12-07T05:32:28.775Z");
    }

    /** A down holder stays listed after the repair; the line then says the repair is done. */
    @Test
    void aDownHolderIsRepairingThenRepaired() throws Exception {
        String json =
                """
                {"cid":"ROOT","factor":2,"holders":HOLDERS,"subscriptions":1,"holds_locally":true,
                 "under_replicated":false,"servers":[
                  {"peer":"A","self":true,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null},
                  {"peer":"B","self":false,"role":"down","claims_at":"t1","last_challenge":null,"last_challenge_at":null,"down_since":"t2"},
                  {"peer":"C","self":false,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null}]}
                """;
        ObjectMapper m = new ObjectMapper();
        assertThat(NetCommand.statusTable(m.readTree(json.replace("HOLDERS", "1"))))
                .endsWith(
                        "down: B since t2, held it (last claim t1); the next servers in the order"
                                + " repair it\nrepairing: 1 of 2 holders; the next repair round"
                                + " fetches the rest\n");
        assertThat(NetCommand.statusTable(m.readTree(json.replace("HOLDERS", "2"))))
                .endsWith(
                        "down: B since t2, held it (last claim t1); the next servers in the order"
                                + " repaired it\n");
    }

    /** An unsubscribed root has no servers: the table is left out, not drawn as a bare header. */
    /** A reserve is sent no claims: it says it does not know who holds the root, not "0". */
    @Test
    void aReserveSaysItHearsNoClaimsRatherThanZeroHolders() throws Exception {
        JsonNode st =
                new ObjectMapper()
                        .readTree(
                                """
                                {"cid":"ROOT","factor":3,"holders":null,"hears_claims":false,"subscriptions":1,
                                 "holds_locally":false,"under_replicated":false,"servers":[
                                  {"peer":"A","self":false,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null},
                                  {"peer":"B","self":false,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null},
                                  {"peer":"C","self":false,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null},
                                  {"peer":"D","self":true,"role":"reserve","claims_at":null,"last_challenge":null,"last_challenge_at":null}]}
                                """);
        String t = NetCommand.statusTable(st);
        assertThat(t)
                .contains("factor         3 wanted; holders not known here")
                .doesNotContain("holders now")
                .doesNotContain("repairing")
                .contains("A         active   ?")
                .contains("D (self)  reserve  -")
                .endsWith(
                        "note: this node is a reserve and hears no claims: who holds it is not"
                                + " known here (?); ask an active server with --node\n");
    }

    @Test
    void anUnsubscribedRootHasNoServerTable() throws Exception {
        JsonNode st =
                new ObjectMapper()
                        .readTree(
                                """
                                {"cid":"ROOT","factor":0,"holders":0,"subscriptions":0,"holds_locally":true,
                                 "under_replicated":false,"servers":[]}
                                """);
        assertThat(NetCommand.statusTable(st))
                .isEqualTo(
                        "root           ROOT\n"
                                + "factor         no subscription keeps it (collected after the"
                                + " grace period)\n"
                                + "subscriptions  0\n"
                                + "this node      holds it\n");
    }

    @Test
    void simulateRunsTheSimulatorAndRefusesATinyNetwork() {
        assertThat(run("net", "simulate", "--nodes", "5")).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).contains("at least 10 nodes");
        err.getBuffer().setLength(0);
        assertThat(run("net", "simulate", "--nodes", "30", "--days", "0.5", "--seed", "4"))
                .as(err::toString)
                .isZero();
        assertThat(out.toString())
                .contains("durability simulation: 30 nodes")
                .contains("maintenance ON")
                .contains("maintenance OFF")
                .contains("blocks lost: 0");
    }

    /**
     * A node without the storage role has no /durability endpoints: every {@code net} command says
     * which role to ask for (exit 2) instead of failing on the HTML 404.
     */
    @Test
    void aNodeWithoutTheStorageRoleIsNamedWithTheRoleToAskFor(@TempDir Path dir) throws Exception {
        Path lake = dir.resolve("lake");
        Path f = dir.resolve("r.yaml");
        Files.writeString(f, "name: a\nroots: [" + ROOT + "]\n");
        try (LakeNode node =
                LakeNode.start(
                        NodeConfig.builder(EnumSet.of(NodeRole.GATEWAY), lake).build(),
                        IpfsNetwork::install)) {
            String hint = " endpoint; ask a node started with --role storage";
            assertThat(run("net", "ranking", "--node", lake.toString()))
                    .isEqualTo(IpdmCli.BAD_INPUT);
            assertThat(err.toString())
                    .isEqualTo(
                            "ipdm net ranking: the node at "
                                    + node.adminUri()
                                    + " has no /durability/ranking"
                                    + hint
                                    + "\n");
            err.getBuffer().setLength(0);
            assertThat(run("net", "status", ROOT, "--node", lake.toString()))
                    .isEqualTo(IpdmCli.BAD_INPUT);
            assertThat(err.toString()).contains("has no /durability/status" + hint);
            err.getBuffer().setLength(0);
            assertThat(
                            run(
                                    "net",
                                    "subscribe",
                                    f.toString(),
                                    "--node",
                                    lake.toString(),
                                    "--key",
                                    dir.resolve("k.key").toString()))
                    .isEqualTo(IpdmCli.BAD_INPUT);
            assertThat(err.toString()).contains("has no /durability/subscriptions" + hint);
            // the endpoint every node serves still answers through the same helper
            assertThat(run("node", "status", "--lake", lake.toString())).isZero();
            assertThat(out.toString()).contains("roles             gateway");
        }
    }
}
