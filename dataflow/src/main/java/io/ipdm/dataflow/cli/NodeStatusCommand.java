package io.ipdm.dataflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ipdm node status}: asks the node running on a lake directory (its admin address is in
 * {@code DIR/node.json}) for its status and prints a table, or the JSON as served.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Show a running node's peers, routing table, blocks and bytes stored, pending"
                        + " wants and provider records.")
final class NodeStatusCommand implements Callable<Integer> {
    @Option(
            names = "--lake",
            paramLabel = "DIR",
            defaultValue = "${env:IPDM_LAKE_DIR:-.ipdm/lake}",
            description = "Lake directory of the node (default: $IPDM_LAKE_DIR or .ipdm/lake).")
    Path lake;

    @Option(
            names = "--admin",
            paramLabel = "URL",
            description = "The node's admin address instead of the one in DIR/node.json.")
    String admin;

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    @Mixin CommonOptions common;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        common.apply();
        return NodeAdmin.show(
                spec,
                "node status",
                () -> admin == null ? NodeAdmin.ofLake(lake) : NodeAdmin.ofUrl(admin),
                NodeAdmin.Request.get("/status"),
                null,
                json,
                NodeStatusCommand::table);
    }

    static String table(JsonNode s) {
        StringBuilder sb = new StringBuilder();
        row(sb, "peer id", s.path("peer_id").asText());
        row(sb, "roles", join(s.path("roles")));
        for (JsonNode a : s.path("addresses")) {
            row(sb, "address", a.asText());
        }
        if (!s.path("gateway").isNull()) {
            row(sb, "gateway", s.path("gateway").asText());
        }
        row(sb, "peers", Integer.toString(s.path("peers").size()));
        for (JsonNode p : s.path("peers")) {
            row(sb, "", p.asText());
        }
        row(
                sb,
                "routing table",
                s.path("routing_table_size").asLong()
                        + " peers in buckets "
                        + s.path("buckets").toString());
        row(
                sb,
                "stored",
                s.path("blocks").asLong()
                        + " blocks, "
                        + s.path("bytes").asLong()
                        + " bytes, "
                        + s.path("pinned_roots").asLong()
                        + " pinned roots");
        row(sb, "pending wants", Long.toString(s.path("pending_wants").asLong()));
        row(
                sb,
                "provider records",
                s.path("provider_records").asLong()
                        + " held, "
                        + s.path("provided").asLong()
                        + " announced by this node");
        row(
                sb,
                "network reads",
                s.path("network_reads").asLong()
                        + " blocks fetched, "
                        + s.path("network_misses").asLong()
                        + " not found; prefetch "
                        + (s.path("prefetch_active").asBoolean() ? "on" : "off (reads are fast)"));
        JsonNode rec = s.path("records");
        if (rec.isObject()) {
            JsonNode g = rec.path("gossip");
            row(
                    sb,
                    "signed records",
                    rec.path("records").asLong()
                            + " held, "
                            + rec.path("published").asLong()
                            + " published; gossip "
                            + g.path("accepted").asLong()
                            + " accepted, "
                            + (g.path("forged").asLong() + g.path("malformed").asLong())
                            + " forged or malformed, "
                            + g.path("stale").asLong()
                            + " replays; sync "
                            + rec.path("sync_sessions").asLong()
                            + " sessions ("
                            + rec.path("sync_failures").asLong()
                            + " failed), "
                            + rec.path("sync_records_accepted").asLong()
                            + " records caught up, "
                            + rec.path("refused_records").asLong()
                            + " refused (not trusted; not asked for again)");
            for (JsonNode why : rec.path("recent_refusals")) {
                row(sb, "", why.asText());
            }
        }
        return sb.toString();
    }

    private static String join(JsonNode arr) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : arr) {
            sb.append(sb.isEmpty() ? "" : ",").append(n.asText());
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append(String.format("%-17s %s%n", k, v));
    }
}
