package io.ipdm.lakes.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ipdm.lakes.durability.DurabilityEvent;
import io.ipdm.lakes.durability.PeerRank;
import io.ipdm.lakes.durability.RootStatus;
import io.ipdm.mesh.records.RecordException;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability part of a storage node's admin endpoint (127.0.0.1, see {@link LakeNode}):
 *
 * <ul>
 *   <li>{@code POST /durability/subscriptions}: body a signed subscription record ({@code
 *       SignedRecord} canonical bytes); 200 with {@code "accepted":true} and the events it caused,
 *       or 400 (malformed, forged, stale or conflicting version) / 403 (author not trusted) with
 *       {@code "error"}
 *   <li>{@code GET /durability/status?cid=CID}: what this node knows of one root ({@link
 *       RootStatus})
 *   <li>{@code GET /durability/ranking}: every peer's standing ({@link PeerRank}), best first
 *   <li>{@code GET /durability}: counters, recent events and the storage peers that went down
 *       lately ({@code down}: since when, the roots they were active servers of)
 * </ul>
 */
final class DurabilityAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(DurabilityAdmin.class);
    static final int MAX_RECORD_BYTES = 64 << 10;

    private final DurabilityService service;

    private DurabilityAdmin(DurabilityService service) {
        this.service = service;
    }

    static void install(HttpServer admin, DurabilityService service) {
        DurabilityAdmin a = new DurabilityAdmin(service);
        admin.createContext("/durability", a::serve);
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                switch (path) {
                    case "/durability/subscriptions" -> {
                        if (!method.equals("POST")) {
                            AdminHttp.reply(
                                    ex, 405, AdminHttp.error("POST a signed subscription record"));
                            return;
                        }
                        subscribe(ex);
                    }
                    case "/durability/status" -> status(ex);
                    case "/durability/ranking" ->
                            AdminHttp.reply(ex, 200, ranking(service.ranking()));
                    case "/durability", "/durability/" -> AdminHttp.reply(ex, 200, summary());
                    default ->
                            AdminHttp.reply(
                                    ex,
                                    404,
                                    AdminHttp.error(
                                            "no such endpoint "
                                                    + path
                                                    + "; endpoints: /durability,"
                                                    + " /durability/status?cid=CID,"
                                                    + " /durability/ranking,"
                                                    + " POST /durability/subscriptions"));
                }
            } catch (RuntimeException e) {
                LOG.warn("admin {} failed", path, e);
                AdminHttp.reply(ex, 500, AdminHttp.error(e.toString()));
            }
        }
    }

    private void subscribe(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_RECORD_BYTES + 1);
        }
        if (body.length > MAX_RECORD_BYTES) {
            AdminHttp.reply(
                    ex,
                    413,
                    AdminHttp.error(
                            "a subscription record is at most "
                                    + MAX_RECORD_BYTES
                                    + " bytes; list fewer roots per subscription"));
            return;
        }
        SignedRecord r;
        try {
            r = SignedRecord.decode(body, MAX_RECORD_BYTES);
        } catch (RecordException e) {
            AdminHttp.reply(ex, 400, AdminHttp.error("not a signed record: " + e.getMessage()));
            return;
        }
        List<DurabilityEvent> events = service.submit(r);
        DurabilityEvent verdict = null;
        for (DurabilityEvent e : events) {
            if (e.kind().name().startsWith("SUBSCRIPTION_")) {
                verdict = e;
            }
        }
        boolean accepted =
                verdict != null && verdict.kind() == DurabilityEvent.Kind.SUBSCRIPTION_ACCEPTED;
        StringBuilder sb = new StringBuilder("{\"accepted\":").append(accepted);
        if (!accepted) {
            str(
                    sb.append(",\"error\":"),
                    verdict == null
                            ? "not taken: the node holds this version or a newer one of '"
                                    + r.keyText()
                                    + "' from this author (a replay or an older version changes"
                                    + " nothing; sign a higher version to change it)"
                            : verdict.message());
        }
        str(sb.append(",\"author\":"), r.author().toPeerId().toBase58());
        sb.append(",\"version\":").append(r.version());
        events(sb.append(",\"events\":"), events);
        int code =
                accepted
                        ? 200
                        : verdict != null
                                        && verdict.kind()
                                                == DurabilityEvent.Kind.SUBSCRIPTION_UNAUTHORIZED
                                ? 403
                                : verdict == null ? 409 : 400;
        AdminHttp.reply(ex, code, sb.append('}').toString());
    }

    private void status(HttpExchange ex) throws IOException {
        Map<String, String> q = AdminHttp.query(ex.getRequestURI().getRawQuery());
        String text = q.get("cid");
        if (text == null) {
            AdminHttp.reply(ex, 400, AdminHttp.error("give ?cid=CID"));
            return;
        }
        Cid cid;
        try {
            cid = Cid.parse(text);
        } catch (RuntimeException e) {
            AdminHttp.reply(
                    ex, 400, AdminHttp.error("'" + text + "' is not a CID: " + e.getMessage()));
            return;
        }
        AdminHttp.reply(ex, 200, rootStatus(service.status(cid)));
    }

    static String rootStatus(RootStatus s) {
        StringBuilder sb = new StringBuilder("{");
        str(sb.append("\"cid\":"), s.root().toString());
        sb.append(",\"factor\":").append(s.factor());
        // null, not 0, where this node hears no claims (a reserve): it does not know who holds it
        sb.append(",\"holders\":").append(s.hearsClaims() ? String.valueOf(s.holders()) : "null");
        sb.append(",\"hears_claims\":").append(s.hearsClaims());
        sb.append(",\"subscriptions\":").append(s.subscriptions());
        sb.append(",\"holds_locally\":").append(s.holdsLocally());
        sb.append(",\"under_replicated\":").append(s.underReplicated());
        sb.append(",\"servers\":[");
        for (int i = 0; i < s.order().size(); i++) {
            RootStatus.Server v = s.order().get(i);
            sb.append(i == 0 ? "{" : ",{");
            str(sb.append("\"peer\":"), v.peer().toBase58());
            sb.append(",\"self\":").append(v.self());
            str(sb.append(",\"role\":"), v.role().name().toLowerCase(Locale.ROOT));
            time(sb.append(",\"claims_at\":"), v.claimsAtMillis());
            if (v.lastChallenge() == null) {
                sb.append(",\"last_challenge\":null");
            } else {
                str(
                        sb.append(",\"last_challenge\":"),
                        v.lastChallenge().name().toLowerCase(Locale.ROOT));
            }
            time(sb.append(",\"last_challenge_at\":"), v.lastChallengeAtMillis());
            time(sb.append(",\"down_since\":"), v.downSinceMillis());
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    static String ranking(List<PeerRank> ranks) {
        StringBuilder sb = new StringBuilder("{\"peers\":[");
        for (int i = 0; i < ranks.size(); i++) {
            PeerRank r = ranks.get(i);
            sb.append(i == 0 ? "{" : ",{");
            str(sb.append("\"peer\":"), r.peer().toBase58());
            sb.append(",\"stored\":").append(round(r.stored()));
            sb.append(",\"lost\":").append(round(r.lost()));
            sb.append(",\"rank\":").append(round(r.rank()));
            sb.append(",\"offences\":").append(round(r.offences()));
            sb.append(",\"low_ranked\":").append(r.lowRanked());
            sb.append(",\"excluded\":").append(r.isolated());
            if (r.lastOutcome() == null) {
                sb.append(",\"last_outcome\":null");
            } else {
                str(
                        sb.append(",\"last_outcome\":"),
                        r.lastOutcome().name().toLowerCase(Locale.ROOT));
            }
            time(sb.append(",\"last_outcome_at\":"), r.lastOutcomeAtMillis());
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    private String summary() {
        DurabilityService.Summary s = service.summary();
        StringBuilder sb = new StringBuilder("{");
        if (s.fault() == null) {
            sb.append("\"fault\":null");
        } else {
            str(sb.append("\"fault\":"), s.fault());
        }
        sb.append(",\"messages_sent\":").append(s.messagesSent());
        sb.append(",\"messages_received\":").append(s.messagesReceived());
        sb.append(",\"fetched\":").append(s.fetched());
        sb.append(",\"fetch_failures\":").append(s.fetchFailures());
        sb.append(",\"dropped_blocks\":").append(s.droppedBlocks());
        sb.append(",\"event_counts\":{");
        int i = 0;
        for (Map.Entry<String, Long> e : new TreeMap<>(s.eventCounts()).entrySet()) {
            str(sb.append(i++ == 0 ? "" : ","), e.getKey()).append(':').append(e.getValue());
        }
        sb.append('}');
        events(sb.append(",\"recent\":"), s.recent());
        departed(sb.append(",\"down\":"), service.departed());
        return sb.append('}').toString();
    }

    /** Peers that went down lately: since when and the roots they were active servers of. */
    static StringBuilder departed(StringBuilder sb, List<RootStatus.Departed> down) {
        sb.append('[');
        for (int i = 0; i < down.size(); i++) {
            RootStatus.Departed d = down.get(i);
            sb.append(i == 0 ? "{" : ",{");
            str(sb.append("\"peer\":"), d.peer().toBase58());
            time(sb.append(",\"since\":"), d.sinceMillis());
            sb.append(",\"held\":[");
            for (int j = 0; j < d.held().size(); j++) {
                str(sb.append(j == 0 ? "" : ","), d.held().get(j).toString());
            }
            sb.append("]}");
        }
        return sb.append(']');
    }

    private static StringBuilder events(StringBuilder sb, List<DurabilityEvent> events) {
        sb.append('[');
        for (int i = 0; i < events.size(); i++) {
            DurabilityEvent e = events.get(i);
            sb.append(i == 0 ? "{" : ",{");
            time(sb.append("\"at\":"), e.atMillis());
            str(sb.append(",\"kind\":"), e.kind().name().toLowerCase(Locale.ROOT));
            str(sb.append(",\"level\":"), e.level().name().toLowerCase(Locale.ROOT));
            if (e.root() != null) {
                str(sb.append(",\"root\":"), e.root().toString());
            }
            if (e.peer() != null) {
                str(sb.append(",\"peer\":"), e.peer().toBase58());
            }
            str(sb.append(",\"message\":"), e.message());
            sb.append('}');
        }
        return sb.append(']');
    }

    private static StringBuilder str(StringBuilder sb, String v) {
        return NodeStatus.quote(sb, v);
    }

    private static StringBuilder time(StringBuilder sb, long millis) {
        return millis <= 0 ? sb.append("null") : str(sb, Instant.ofEpochMilli(millis).toString());
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
