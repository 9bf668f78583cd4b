package io.ipdm.lakes.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsException;
import io.ipdm.mesh.ipns.IpnsRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPNS part of a node's admin endpoint (127.0.0.1), what {@code ipdm name} talks to:
 *
 * <ul>
 *   <li>{@code POST /name/publish?value=PATH&lifetime=ISO&ttl=ISO}: signs and puts our record
 *   <li>{@code GET /name/resolve?name=NAME}: the verified record found through the DHT (404: none)
 *   <li>{@code GET /name}: our name and what we last published
 * </ul>
 */
final class NameAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(NameAdmin.class);
    private final NameService names;

    private NameAdmin(NameService names) {
        this.names = names;
    }

    static void install(HttpServer admin, NameService names) {
        admin.createContext("/name", new NameAdmin(names)::serve);
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> q = AdminHttp.query(ex.getRequestURI().getRawQuery());
            try {
                switch (path) {
                    case "/name/publish" -> {
                        if (!ex.getRequestMethod().equals("POST")) {
                            AdminHttp.reply(
                                    ex, 405, AdminHttp.error("POST /name/publish?value=PATH"));
                            return;
                        }
                        String value = q.get("value");
                        if (value == null) {
                            AdminHttp.reply(
                                    ex,
                                    400,
                                    AdminHttp.error(
                                            "no value: POST /name/publish?value=/ipfs/CID"));
                            return;
                        }
                        NameService.Published p =
                                names.publish(
                                        value,
                                        duration(q, "lifetime", NameService.DEFAULT_LIFETIME),
                                        duration(q, "ttl", NameService.DEFAULT_TTL));
                        AdminHttp.reply(
                                ex,
                                200,
                                record(p.record())
                                        .replaceFirst(
                                                "}$",
                                                ",\"storedBy\":"
                                                        + p.put().storedBy().size()
                                                        + ",\"refused\":"
                                                        + p.put().refused().size()
                                                        + "}"));
                    }
                    case "/name/resolve" -> {
                        String n = q.get("name");
                        if (n == null) {
                            AdminHttp.reply(
                                    ex,
                                    400,
                                    AdminHttp.error("no name: GET /name/resolve?name=NAME"));
                            return;
                        }
                        PeerId id = IpnsRecord.parseName(n);
                        IpnsRecord r = names.resolve(id);
                        if (r == null) {
                            AdminHttp.reply(
                                    ex,
                                    404,
                                    AdminHttp.error(
                                            "no IPNS record for "
                                                    + id
                                                    + " found through the DHT; is it published"
                                                    + " and the node connected?"));
                            return;
                        }
                        AdminHttp.reply(ex, 200, record(r));
                    }
                    case "/name", "/name/" -> {
                        Properties p = names.last();
                        StringBuilder sb =
                                new StringBuilder("{\"name\":")
                                        .append(str(names.name().toString()));
                        if (p != null) {
                            for (String k :
                                    new String[] {"value", "sequence", "published", "validity"}) {
                                sb.append(",\"")
                                        .append(k)
                                        .append("\":")
                                        .append(str(p.getProperty(k)));
                            }
                        }
                        AdminHttp.reply(ex, 200, sb.append('}').toString());
                    }
                    default ->
                            AdminHttp.reply(
                                    ex,
                                    404,
                                    AdminHttp.error(
                                            "no such endpoint "
                                                    + path
                                                    + "; endpoints: /name, POST /name/publish,"
                                                    + " /name/resolve"));
                }
            } catch (IpnsException e) {
                AdminHttp.reply(ex, 400, AdminHttp.error(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                AdminHttp.reply(ex, 503, AdminHttp.error("interrupted"));
            } catch (RuntimeException e) {
                LOG.warn("admin {} failed", path, e);
                AdminHttp.reply(ex, 500, AdminHttp.error(e.toString()));
            }
        }
    }

    private static Duration duration(Map<String, String> q, String k, Duration dflt) {
        String v = q.get(k);
        if (v == null) {
            return dflt;
        }
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new IpnsException(k + " '" + v + "' is not an ISO-8601 duration (PT24H)");
        }
    }

    static String record(IpnsRecord r) {
        return "{\"name\":"
                + str(r.name().toString())
                + ",\"value\":"
                + str(r.value())
                + ",\"sequence\":"
                + Long.toUnsignedString(r.sequence())
                + ",\"validity\":"
                + str(r.validity().toString())
                + ",\"ttlSeconds\":"
                + r.ttl().toSeconds()
                + "}";
    }

    private static String str(String s) {
        return NodeStatus.quote(new StringBuilder(), s).toString();
    }
}
