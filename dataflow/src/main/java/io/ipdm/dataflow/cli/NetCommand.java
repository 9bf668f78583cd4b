package io.ipdm.dataflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.yaml.YamlException;
import io.ipdm.lakes.durability.DurabilityException;
import io.ipdm.lakes.durability.Subscription;
import io.ipdm.lakes.node.DurabilityService;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.UserIdentity;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipdm net}: replication subscriptions and what the storage network knows of them, through a
 * running storage node's admin endpoint ({@code --node DIR|URL}).
 */
@Command(
        name = "net",
        mixinStandardHelpOptions = true,
        subcommands = {
            NetCommand.Subscribe.class,
            NetCommand.Unsubscribe.class,
            NetCommand.Status.class,
            NetCommand.Ranking.class,
            NetCommand.Simulate.class
        },
        description = {
            "Keep data on the storage network: signed replication subscriptions (roots, factor,"
                    + " servers or domain), repaired by the storage nodes as they come and go,"
                    + " checked with integrity challenges.",
            "Each command asks a running `ipdm node --role storage` (--node: its lake directory"
                    + " or admin URL); see docs/lava-lakes.md (Durability)."
        })
final class NetCommand extends CommandGroup {
    @Command(
            name = "subscribe",
            mixinStandardHelpOptions = true,
            description = {
                "Sign a replication file with your key and send it to a storage node, which"
                        + " checks it (signature, trusted author, version) and spreads it to the"
                        + " others.",
                "replication.yaml: name, roots (CIDs), factor (default 3), servers (peer ids, in"
                        + " order: the first `factor` active, the rest reserves) or domain,"
                        + " version (default: the time of signing in milliseconds)."
            })
    static final class Subscribe implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The replication file (YAML).")
        Path file;

        @Mixin NodeOption node;
        @Mixin KeyOptions key;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            common.apply();
            ReplicationFile f;
            try {
                f = ReplicationFile.read(file);
            } catch (YamlException e) {
                return NodeAdmin.fail(spec, "net subscribe", e.getMessage(), IpdmCli.BAD_INPUT);
            }
            Subscription s =
                    new Subscription(
                            DurabilityService.SUBSCRIPTION_PREFIX + f.name(),
                            f.roots(),
                            f.factor(),
                            f.servers(),
                            f.domain());
            long version = f.version() != null ? f.version() : System.currentTimeMillis();
            return send(spec, "subscribe", node, key, json, common.quiet, s, version);
        }
    }

    @Command(
            name = "unsubscribe",
            mixinStandardHelpOptions = true,
            description =
                    "Sign a new version of a subscription that keeps nothing: its roots are"
                            + " collected on every holder after the nodes' --gc-grace unless"
                            + " another subscription or a local pin keeps them.")
    static final class Unsubscribe implements Callable<Integer> {
        @Parameters(
                paramLabel = "FILE|NAME",
                description = "The replication file that subscribed, or the subscription's name.")
        String target;

        @Option(
                names = "--record-version",
                paramLabel = "N",
                description =
                        "Version of the unsubscription; must be above the subscription's"
                                + " (default: the time of signing in milliseconds, or the file's"
                                + " version + 1 when that is higher).")
        Long version;

        @Mixin NodeOption node;
        @Mixin KeyOptions key;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            common.apply();
            String name = target;
            long v = System.currentTimeMillis();
            Path p = Path.of(target);
            if (target.endsWith(".yaml") || target.endsWith(".yml") || Files.isRegularFile(p)) {
                try {
                    ReplicationFile f = ReplicationFile.read(p);
                    name = f.name();
                    if (f.version() != null) {
                        v = Math.max(v, f.version() + 1);
                    }
                } catch (YamlException e) {
                    return NodeAdmin.fail(
                            spec, "net unsubscribe", e.getMessage(), IpdmCli.BAD_INPUT);
                }
            }
            if (version != null) {
                v = version;
            }
            Subscription s;
            try {
                s =
                        new Subscription(
                                DurabilityService.SUBSCRIPTION_PREFIX + name,
                                List.of(),
                                1,
                                List.of(),
                                "");
            } catch (DurabilityException e) {
                return NodeAdmin.fail(spec, "net unsubscribe", e.getMessage(), IpdmCli.BAD_INPUT);
            }
            return send(spec, "unsubscribe", node, key, json, common.quiet, s, v);
        }
    }

    private static int send(
            CommandSpec spec,
            String verb,
            NodeOption node,
            KeyOptions key,
            boolean json,
            boolean quiet,
            Subscription s,
            long version)
            throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        UserIdentity id;
        try {
            id = key.load(spec.commandLine().getErr());
        } catch (IdentityException e) {
            return NodeAdmin.fail(spec, "net " + verb, e.getMessage(), IpdmCli.BAD_INPUT);
        }
        SignedRecord record = s.sign(id.key(), version);
        NodeAdmin.Reply r;
        NodeAdmin admin;
        JsonNode answer;
        try {
            admin = node.admin();
            r = admin.send(NodeAdmin.Request.post("/durability/subscriptions", record.encoded()));
            answer = admin.answer(r, "storage");
        } catch (NodeAdmin.Failure e) {
            return NodeAdmin.fail(spec, "net " + verb, e.getMessage(), e.exitCode);
        }
        if (json) {
            out.println(r.body());
            out.flush();
        }
        if (!answer.path("accepted").asBoolean()) {
            return NodeAdmin.fail(
                    spec,
                    "net " + verb,
                    "the node refused "
                            + name(s)
                            + " version "
                            + version
                            + ": "
                            + answer.path("error").asText(r.body()),
                    NodeAdmin.exitCode(r.status()));
        }
        if (!json) {
            if (s.isEmpty()) {
                out.printf(
                        "unsubscribed %s (version %d, signed by %s) on %s%n",
                        name(s), version, id.peerId(), admin.base);
            } else {
                out.printf(
                        "subscribed %s (version %d, signed by %s): %d root%s at factor %d on %s%n",
                        name(s),
                        version,
                        id.peerId(),
                        s.roots().size(),
                        s.roots().size() == 1 ? "" : "s",
                        s.factor(),
                        s.byDomain()
                                ? (s.domain().isEmpty()
                                        ? "the storage nodes"
                                        : "domain " + s.domain())
                                : s.servers().size() + " listed servers");
                if (!quiet) {
                    out.printf("sent to %s; follow with `ipdm net status CID`%n", admin.base);
                }
            }
            out.flush();
        }
        return IpdmCli.OK;
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "What a storage node knows of one root: the factor now and wanted, its"
                            + " servers in their order with roles, who holds it and the last"
                            + " challenge of each; a server that held it and went down shows as"
                            + " `down` with since when, for an hour or until it returns.")
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "CID", description = "A subscribed root.")
        String cid;

        @Mixin NodeOption node;

        @Option(names = "--json", description = "Print the endpoint's JSON.")
        boolean json;

        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            common.apply();
            try {
                Cid.parse(cid);
            } catch (RuntimeException e) {
                return NodeAdmin.fail(
                        spec,
                        "net status",
                        "'" + cid + "' is not a CID: " + e.getMessage(),
                        IpdmCli.BAD_INPUT);
            }
            return NodeAdmin.show(
                    spec,
                    "net status",
                    node::admin,
                    NodeAdmin.Request.get(
                            "/durability/status?cid="
                                    + URLEncoder.encode(cid, StandardCharsets.UTF_8)),
                    "storage",
                    json,
                    NetCommand::statusTable);
        }
    }

    /** The status as a table; the last line names what is wrong, if anything. */
    static String statusTable(JsonNode s) {
        StringBuilder sb = new StringBuilder();
        int factor = s.path("factor").asInt();
        long holders = s.path("holders").asLong();
        // A node that does not track the root (a reserve) is sent no claims: it says so rather
        // than count 0 holders. Older nodes send no hears_claims: they always counted.
        boolean hears = s.path("hears_claims").asBoolean(true);
        row(sb, "root", s.path("cid").asText());
        if (factor == 0) {
            row(sb, "factor", "no subscription keeps it (collected after the grace period)");
        } else if (!hears) {
            row(sb, "factor", factor + " wanted; holders not known here");
        } else {
            row(sb, "factor", holders + " holders now, " + factor + " wanted");
        }
        row(sb, "subscriptions", s.path("subscriptions").asText());
        row(sb, "this node", s.path("holds_locally").asBoolean() ? "holds it" : "does not hold it");
        // Columns as wide as their widest cell: full peer ids with " (self)" and claim times with
        // milliseconds are wider than a fixed width, which shifted the rows they were in.
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"server", "role", "holds since", "last challenge"});
        long reachable = 0;
        StringBuilder down = new StringBuilder();
        for (JsonNode v : s.path("servers")) {
            String role = v.path("role").asText();
            if (role.equals("active") || role.equals("reserve")) {
                reachable++;
            }
            if (!v.path("down_since").isNull() && !v.path("down_since").isMissingNode()) {
                down.append(
                        String.format(
                                "down: %s since %s, %s; %s%n",
                                v.path("peer").asText(),
                                v.path("down_since").asText(),
                                v.path("claims_at").isNull()
                                        ? "an active server that had not claimed it yet"
                                        : "held it (last claim "
                                                + v.path("claims_at").asText()
                                                + ")",
                                factor > 0 && holders >= factor
                                        ? "the next servers in the order repaired it"
                                        : "the next servers in the order repair it"));
            }
            String lc =
                    v.path("last_challenge").isNull()
                            ? "-"
                            : v.path("last_challenge").asText()
                                    + " at "
                                    + v.path("last_challenge_at").asText();
            rows.add(
                    new String[] {
                        v.path("peer").asText() + (v.path("self").asBoolean() ? " (self)" : ""),
                        role,
                        v.path("claims_at").isNull()
                                ? (v.path("self").asBoolean() && role.equals("active")
                                        ? "(this node)"
                                        : hears || v.path("self").asBoolean() ? "-" : "?")
                                : v.path("claims_at").asText(),
                        lc
                    });
        }
        int[] width = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        // a root no subscription keeps has no servers: no table, not a header without rows
        for (String[] r : rows.size() > 1 ? rows : List.<String[]>of()) {
            sb.append(
                    String.format(
                            "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s%n",
                            r[0],
                            r[1],
                            r[2],
                            r[3]));
        }
        sb.append(down);
        if (s.path("under_replicated").asBoolean()) {
            sb.append(
                    String.format(
                            "error: only %d of %d servers reachable; the best possible is done and"
                                    + " repair resumes when servers return%n",
                            Math.min(reachable, factor), factor));
        } else if (factor > 0 && !hears) {
            String self = "no server of it";
            for (JsonNode v : s.path("servers")) {
                if (v.path("self").asBoolean()) {
                    self =
                            v.path("role").asText().equals("reserve")
                                    ? "a reserve"
                                    : "not tracking it";
                }
            }
            sb.append(
                    String.format(
                            "note: this node is %s and hears no claims: who holds it is not known"
                                    + " here (?); ask an active server with --node%n",
                            self));
        } else if (factor > 0 && holders < factor) {
            sb.append(
                    String.format(
                            "repairing: %d of %d holders; the next repair round fetches the rest%n",
                            holders, factor));
        }
        return sb.toString();
    }

    @Command(
            name = "ranking",
            mixinStandardHelpOptions = true,
            description =
                    "Storage nodes by what they stored against what they lost in this node's"
                            + " integrity challenges; low-ranked nodes get no new replicas,"
                            + " excluded ones are ignored.")
    static final class Ranking implements Callable<Integer> {
        @Mixin NodeOption node;

        @Option(names = "--json", description = "Print the endpoint's JSON.")
        boolean json;

        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            common.apply();
            return NodeAdmin.show(
                    spec,
                    "net ranking",
                    node::admin,
                    NodeAdmin.Request.get("/durability/ranking"),
                    "storage",
                    json,
                    NetCommand::rankingTable);
        }
    }

    @Command(
            name = "simulate",
            mixinStandardHelpOptions = true,
            description = {
                "Run the deterministic storage-network simulator: the same durability engine"
                        + " `ipdm node` runs, on a simulated network with virtual time (joins,"
                        + " leaves, crashes, returns, partitions, message loss, lying nodes), one"
                        + " seed for every random choice; the same seed gives the same run.",
                "Prints blocks lost, repair times, repair traffic and liars excluded, then the"
                        + " same network without maintenance; exit 1 when the maintained run lost"
                        + " blocks."
            })
    static final class Simulate implements Callable<Integer> {
        @Option(
                names = "--nodes",
                paramLabel = "N",
                defaultValue = "1000",
                description = "Storage nodes (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(
                names = "--days",
                paramLabel = "DAYS",
                defaultValue = "30",
                description = "Simulated days (default: ${DEFAULT-VALUE}).")
        double days;

        @Option(
                names = "--seed",
                paramLabel = "SEED",
                defaultValue = "1",
                description = "The seed of every random choice (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--no-baseline", description = "Skip the run without maintenance.")
        boolean noBaseline;

        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            common.apply();
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            io.ipdm.lakes.durability.sim.SimResult r;
            try (java.io.PrintStream ps =
                    new java.io.PrintStream(buf, true, StandardCharsets.UTF_8)) {
                r =
                        io.ipdm.lakes.durability.sim.DurabilityBench.run(
                                nodes, days, seed, !noBaseline, ps);
            } catch (IllegalArgumentException e) {
                return NodeAdmin.fail(spec, "net simulate", e.getMessage(), IpdmCli.BAD_INPUT);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(buf.toString(StandardCharsets.UTF_8));
            out.flush();
            if (r.lostBlocks() > 0) {
                return NodeAdmin.fail(
                        spec,
                        "net simulate",
                        r.lostBlocks()
                                + " blocks lost with maintenance on (seed "
                                + seed
                                + "; the same seed replays this run)",
                        IpdmCli.JOB_FAILED);
            }
            return IpdmCli.OK;
        }
    }

    static String rankingTable(JsonNode s) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "%-54s %6s %8s %8s %9s  %-11s %s%n",
                        "peer", "rank", "stored", "lost", "offences", "state", "last challenge"));
        for (JsonNode p : s.path("peers")) {
            String state =
                    p.path("excluded").asBoolean()
                            ? "EXCLUDED"
                            : p.path("low_ranked").asBoolean() ? "low-ranked" : "ok";
            sb.append(
                    String.format(
                            "%-54s %6.3f %8.2f %8.2f %9.2f  %-11s %s%n",
                            p.path("peer").asText(),
                            p.path("rank").asDouble(),
                            p.path("stored").asDouble(),
                            p.path("lost").asDouble(),
                            p.path("offences").asDouble(),
                            state,
                            p.path("last_outcome").isNull()
                                    ? "-"
                                    : p.path("last_outcome").asText()
                                            + " at "
                                            + p.path("last_outcome_at").asText()));
        }
        if (s.path("peers").isEmpty()) {
            sb.append("(no challenge evidence yet)\n");
        }
        return sb.toString();
    }

    private static String name(Subscription s) {
        return s.id().substring(DurabilityService.SUBSCRIPTION_PREFIX.length());
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append(String.format("%-14s %s%n", k, v));
    }
}
