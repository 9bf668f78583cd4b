package io.ipdm.lakes.verify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.node.AdminHttp;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.json.JsonStrings;
import io.ipdm.mesh.node.RecordService;
import io.ipdm.mesh.peers.IdentityStore;
import io.ipdm.mesh.records.PutResult;
import io.ipdm.mesh.records.RecordException;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's attestation service: it keeps an {@link AttestationBook} of the attestation records (key
 * prefix {@value Attestation#KEY_PREFIX}) its {@link RecordService} holds and accepts, from jobs on
 * this machine (HTTP on the node's loopback admin port), gossip and RIBLT reconciliation alike (so
 * a node back from an outage catches up, and the records survive restarts), and stores the blocks
 * jobs hand it (window archives, job definitions, modules) so its gateway and Bitswap serve them.
 * Local attestations are published through the record service.
 *
 * <p>HTTP (admin port, 127.0.0.1):
 *
 * <ul>
 *   <li>{@code POST /ipdm/blocks}: a CAR v1; every block checked against its CID, stored, the
 *       header roots pinned
 *   <li>{@code POST /ipdm/attestations}: one signed attestation record; 200 when accepted (and
 *       published), 409 with the reason when refused
 *   <li>{@code GET /ipdm/attestations/ROOT}: the current records of every window ROOT was attested
 *       for ({@link RecordFrames}), for clients that judge with their own trust list
 *   <li>{@code GET /ipdm/verify/ROOT}: {@link RootStatus#toJson()} under this node's policy
 * </ul>
 *
 * Authors that disagree with a verified majority are counted in {@link #dissents()} and passed to
 * the dissent hooks (which lower their trust).
 */
public final class AttestationService {
    /** The source named in identity-store outcomes. */
    public static final String SOURCE = "attestation";

    static final int MAX_RECORD = 8192;
    static final long MAX_CAR = 256L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(AttestationService.class);

    private final TieredStore store;
    private final RecordService records;
    private final AttestationPolicy policy;
    private final AttestationBook book;
    private final Map<PeerId, Integer> dissents = new ConcurrentHashMap<>();
    private final List<Consumer<PeerId>> dissentHooks = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    /**
     * @param identities where authors' reputation goes: a good outcome for each window an author
     *     attested with a verified majority, a bad one for each window it disagreed with one
     */
    public AttestationService(
            TieredStore store,
            RecordService records,
            AttestationPolicy policy,
            IdentityStore identities) {
        this.store = store;
        this.records = records;
        this.policy = policy;
        this.book = new AttestationBook(policy.quorum(), policy.attestors());
        book.listen(
                new AttestationBook.Listener() {
                    @Override
                    public void agreed(PeerId g, Attestation theirs) {
                        identities.outcome(
                                g,
                                SOURCE,
                                true,
                                "attested the verified root of window " + theirs.window());
                    }

                    @Override
                    public void dissent(PeerId d, Attestation theirs, Cid majority) {
                        dissents.merge(d, 1, Integer::sum);
                        identities.outcome(
                                d,
                                SOURCE,
                                false,
                                "attested "
                                        + theirs.root()
                                        + " for window "
                                        + theirs.window()
                                        + " where the verified majority says "
                                        + majority);
                        LOG.warn(
                                "{} attested {} for window {}; the verified majority says {}",
                                d,
                                theirs.root(),
                                theirs.window(),
                                majority);
                        dissentHooks.forEach(h -> h.accept(d));
                    }
                });
    }

    /**
     * Reads the attestations the record service holds, follows the new ones and serves the HTTP
     * endpoints on {@code admin}.
     */
    public void start(HttpServer admin) {
        records.listen(Attestation.KEY_PREFIX, r -> offer(r, "the record service"));
        for (SignedRecord r : records.records(Attestation.KEY_PREFIX)) {
            offer(r, "the record store");
        }
        admin.createContext("/ipdm/blocks", this::serveBlocks);
        admin.createContext("/ipdm/attestations", this::serveAttestations);
        admin.createContext("/ipdm/verify/", this::serveVerify);
    }

    public AttestationBook book() {
        return book;
    }

    public AttestationPolicy policy() {
        return policy;
    }

    /** Called with each author found disagreeing with a verified majority. */
    public void onDissent(Consumer<PeerId> hook) {
        dissentHooks.add(hook);
    }

    /** Times each author disagreed with a verified majority. */
    public Map<PeerId, Integer> dissents() {
        return Map.copyOf(dissents);
    }

    /** The last refusals (at most 100), for status and tests. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The root's state under this node's policy. */
    public RootStatus status(Cid root) {
        return book.status(root);
    }

    /**
     * Offers a record from a local job: checked (a decodable attestation, an authorized key), then
     * published through the record service, whose version rules decide.
     */
    public AttestationBook.Offered submit(SignedRecord r) {
        Attestation a;
        try {
            a = Attestation.of(r);
        } catch (AttestationException e) {
            refused("local job: " + e.getMessage());
            return new AttestationBook.Offered(false, null, e.getMessage() + "; refused");
        }
        if (policy.restricted() && !policy.attestors().test(r.authorId())) {
            String reason = r + ": key " + r.authorId() + " is not trusted to attest; refused";
            refused("local job: " + reason);
            return new AttestationBook.Offered(false, a, reason);
        }
        PutResult put = records.publish(r);
        if (!put.accepted() && put.outcome() != PutResult.Outcome.DUPLICATE) {
            refused("local job: " + put.reason());
            return new AttestationBook.Offered(false, a, put.reason());
        }
        offer(r, "local job"); // the listener has offered it already; a duplicate is harmless
        return new AttestationBook.Offered(true, a, put.reason());
    }

    private AttestationBook.Offered offer(SignedRecord r, String from) {
        if (policy.restricted() && !policy.attestors().test(r.authorId())) {
            String reason = r + ": key " + r.authorId() + " is not trusted to attest; refused";
            refused(from + ": " + reason);
            return new AttestationBook.Offered(false, null, reason);
        }
        AttestationBook.Offered o = book.offer(r);
        if (!o.accepted() && !o.reason().endsWith("already held")) {
            refused(from + ": " + o.reason());
        }
        return o;
    }

    private void refused(String why) {
        LOG.info("attestation refused from {}", why);
        if (refusals.size() >= 100) {
            refusals.remove(0);
        }
        refusals.add(why);
    }

    // ---- HTTP ----

    private void serveBlocks(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                AdminHttp.reply(ex, 405, AdminHttp.error("POST a CAR v1 to /ipdm/blocks"));
                return;
            }
            byte[] body = read(ex.getRequestBody(), MAX_CAR);
            if (body == null) {
                AdminHttp.reply(ex, 413, AdminHttp.error("CAR larger than " + MAX_CAR + " bytes"));
                return;
            }
            int n = 0;
            List<Block> blocks = new ArrayList<>();
            List<Cid> roots;
            try (CarReader car = CarReader.open(new ByteArrayInputStream(body))) {
                roots = car.header().roots();
                for (CarReader.Section s = car.next(); s != null; s = car.next()) {
                    blocks.add(s.block().verified());
                }
            } catch (LakesException | MultiformatException e) {
                AdminHttp.reply(ex, 400, AdminHttp.error("bad CAR: " + e.getMessage()));
                return;
            }
            for (Block b : blocks) {
                store.put(b);
                n++;
            }
            for (Cid root : roots) {
                if (store.has(root)) {
                    store.pin(root);
                }
            }
            AdminHttp.reply(ex, 200, "{\"stored\":" + n + "}");
        } catch (RuntimeException e) {
            LOG.warn("POST /ipdm/blocks failed", e);
        }
    }

    private void serveAttestations(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestMethod().equals("POST") && path.equals("/ipdm/attestations")) {
                byte[] body = read(ex.getRequestBody(), MAX_RECORD);
                if (body == null) {
                    AdminHttp.reply(
                            ex,
                            413,
                            AdminHttp.error("record larger than " + MAX_RECORD + " bytes"));
                    return;
                }
                SignedRecord r;
                try {
                    r = SignedRecord.decode(body, Attestation.MAX_VALUE);
                } catch (RecordException e) {
                    AdminHttp.reply(ex, 400, AdminHttp.error(e.getMessage()));
                    return;
                }
                AttestationBook.Offered o = submit(r);
                AdminHttp.reply(
                        ex,
                        o.accepted() ? 200 : 409,
                        "{\"accepted\":"
                                + o.accepted()
                                + (o.accepted() ? ",\"reason\":" : ",\"error\":")
                                + JsonStrings.quote(String.valueOf(o.reason()))
                                + "}");
                return;
            }
            if (ex.getRequestMethod().equals("GET") && path.startsWith("/ipdm/attestations/")) {
                Cid root = parseRoot(ex, path.substring("/ipdm/attestations/".length()));
                if (root == null) {
                    return;
                }
                byte[] body = RecordFrames.encode(book.recordsFor(root));
                ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(body);
                    }
                }
                return;
            }
            AdminHttp.reply(
                    ex,
                    404,
                    AdminHttp.error("POST /ipdm/attestations or GET /ipdm/attestations/{root}"));
        } catch (RuntimeException e) {
            LOG.warn("/ipdm/attestations failed", e);
        }
    }

    private void serveVerify(HttpExchange ex) throws IOException {
        try (ex) {
            Cid root =
                    parseRoot(ex, ex.getRequestURI().getPath().substring("/ipdm/verify/".length()));
            if (root == null) {
                return;
            }
            AdminHttp.reply(ex, 200, status(root).toJson());
        } catch (RuntimeException e) {
            LOG.warn("/ipdm/verify failed", e);
        }
    }

    private static Cid parseRoot(HttpExchange ex, String text) throws IOException {
        try {
            return Cid.parse(text);
        } catch (MultiformatException e) {
            AdminHttp.reply(
                    ex, 400, AdminHttp.error("invalid root CID '" + text + "': " + e.getMessage()));
            return null;
        }
    }

    private static byte[] read(InputStream in, long limit) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        return b.length > limit ? null : b;
    }
}
