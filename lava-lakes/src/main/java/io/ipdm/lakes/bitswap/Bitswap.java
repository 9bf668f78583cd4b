package io.ipdm.lakes.bitswap;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.bitswap.BitswapMessage.Entry;
import io.ipdm.lakes.bitswap.BitswapMessage.Presence;
import io.ipdm.lakes.bitswap.BitswapMessage.PresenceType;
import io.ipdm.lakes.bitswap.BitswapMessage.WantType;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Bitswap protocol engine (<a href="https://specs.ipfs.tech/bitswap-protocol/">spec</a>),
 * without sockets: it is told about peers, fed their messages and ticked, and answers with {@link
 * Action}s (messages to send, peers to disconnect) collected by {@link #drain()}. The clock is
 * injected; {@link BitswapNetwork} is the adapter to the mesh.
 *
 * <p><b>Serving.</b> Each peer has a ledger of its wants (at most {@link
 * BitswapLimits#maxWantlistEntries()}; wants beyond it are answered at once or refused, and a peer
 * refused {@link BitswapLimits#FLOOD_FACTOR} times that many is a flooder: banned). Want-have is
 * answered with HAVE, want-block with the block; a block this node lacks gets DONT_HAVE when the
 * peer asked for it, and stays in the ledger so {@link #blocksAdded} can serve it later. Cancel
 * removes a want. Blocks go out in messages of about {@link BitswapConfig#targetMessageBytes()}.
 *
 * <p><b>Fetching.</b> Wants belong to sessions. A want goes as want-block straight to the least
 * loaded peer known to have it or that served the session before; otherwise want-have (with
 * send-dont-have) is broadcast to the session's peers and the first HAVE gets the want-block. A
 * DONT_HAVE or a want-block unanswered within {@link BitswapConfig#wantTimeout()} moves the want to
 * the next peer; other peers get CANCEL once the block is in. Blocks arrive verified (the codec
 * derives their CID from the hash of their bytes), so a block matching no want this node sent or
 * recently ended is wrong bytes for what was asked: the sender is banned and disconnected.
 *
 * <p>Threading: not thread-safe; call every method from one thread. Listeners run on that thread.
 */
public final class Bitswap {
    /** What the engine asks the network to do. */
    public sealed interface Action permits Send, Disconnect {}

    public record Send(PeerId peer, BitswapMessage message) implements Action {}

    public record Disconnect(PeerId peer, String reason) implements Action {}

    /** A peer as the engine sees it, for status views. */
    public record PeerStats(
            PeerId peer,
            BitswapVersion version,
            int theirWants,
            int ourWantBlocks,
            long blocksSent,
            long bytesSent,
            long blocksReceived,
            long bytesReceived,
            int score) {}

    private static final int RECENT_WANTS = 16_384;

    /** Until a session knows this many holders, its want-blocks also go out as want-haves. */
    private static final int DISCOVERY_PEERS = 3;

    private final BitswapConfig config;
    private final BitswapCodec codec;
    private final BlockStore store;
    private final Clock clock;
    private final Map<PeerId, Peer> peers = new LinkedHashMap<>();
    private final Map<PeerId, Standing> standing = new HashMap<>();
    private final Map<Cid, Want> wants = new LinkedHashMap<>();
    private final Map<Long, Session> sessions = new HashMap<>();

    /** Wants that ended lately, with their session: late blocks are not unsolicited. */
    private final Map<Cid, Session> recentlyEnded =
            new LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Cid, Session> e) {
                    return size() > RECENT_WANTS;
                }
            };

    private final Map<PeerId, Outgoing> outgoing = new LinkedHashMap<>();
    private final ArrayDeque<Action> actions = new ArrayDeque<>();
    private long nextSession = 1;
    private final MutableTotals totals = new MutableTotals();

    /**
     * Counts since the engine started, over every peer (also those gone since), for metrics.
     *
     * @param refused wants refused because the peer's ledger was full
     * @param bans peers banned (a peer banned twice counts twice)
     * @param messagesSent messages sent to peers (each a want-list, blocks and presences together)
     * @param wantBlocksSent want-block entries sent (a block asked of a peer)
     * @param wantHavesSent want-have entries sent (a peer asked whether it holds a block)
     */
    public record Totals(
            long blocksSent,
            long bytesSent,
            long blocksReceived,
            long bytesReceived,
            long refused,
            long bans,
            long messagesSent,
            long wantBlocksSent,
            long wantHavesSent) {}

    private static final class MutableTotals {
        long blocksSent;
        long bytesSent;
        long blocksReceived;
        long bytesReceived;
        long refused;
        long bans;
        long messagesSent;
        long wantBlocksSent;
        long wantHavesSent;

        void blockSent(int bytes) {
            blocksSent++;
            bytesSent += bytes;
        }

        void blockReceived(int bytes) {
            blocksReceived++;
            bytesReceived += bytes;
        }
    }

    public Bitswap(BitswapConfig config, BlockStore store, Clock clock) {
        this.config = config;
        this.codec = new BitswapCodec(config.limits());
        this.store = store;
        this.clock = clock;
    }

    public BitswapConfig config() {
        return config;
    }

    public BitswapCodec codec() {
        return codec;
    }

    /** The actions produced since the last call, oldest first. */
    public List<Action> drain() {
        flushOutgoing();
        List<Action> out = new ArrayList<>(actions);
        actions.clear();
        return out;
    }

    // ------------------------------------------------------------------ peers

    /** A connection to {@code peer} is up; it is assumed to speak 1.2.0 until told otherwise. */
    public void peerConnected(PeerId peer) {
        peerConnected(peer, BitswapVersion.V120);
    }

    /** A connection to {@code peer}, which is expected to speak {@code version}, is up. */
    public void peerConnected(PeerId peer, BitswapVersion version) {
        Standing s = standing.get(peer);
        long now = clock.millis();
        if (s != null && s.bannedUntil > now) {
            actions.add(new Disconnect(peer, "banned until " + s.bannedUntil + ": " + s.reason));
            return;
        }
        if (peers.containsKey(peer)) {
            return;
        }
        Peer p = new Peer(peer);
        p.version = version;
        peers.put(peer, p);
        for (Want w : new ArrayList<>(wants.values())) {
            advance(w);
        }
    }

    /** The peer negotiated {@code version} (on a stream it opened or that this node opened). */
    public void peerVersion(PeerId peer, BitswapVersion version) {
        Peer p = peers.get(peer);
        if (p != null) {
            p.version = version;
        }
    }

    /** The connection is gone, or the peer speaks no Bitswap version. */
    public void peerDisconnected(PeerId peer) {
        Peer p = peers.remove(peer);
        outgoing.remove(peer);
        if (p == null) {
            return;
        }
        for (Session s : sessions.values()) {
            s.good.remove(peer);
        }
        for (Want w : new ArrayList<>(wants.values())) {
            w.asked.remove(peer);
            w.haves.remove(peer);
            if (peer.equals(w.blockFrom)) {
                w.blockFrom = null;
                advance(w);
            }
        }
    }

    /**
     * {@code bytes} of blocks sent to {@code peer} have left this node (the peer's stream windows
     * took them, or the stream died); more of its wants may be served.
     */
    public void drained(PeerId peer, long bytes) {
        Peer p = peers.get(peer);
        if (p == null) {
            return;
        }
        p.outstanding = Math.max(0, p.outstanding - bytes);
        if (!p.toServe.isEmpty()) {
            serve(p);
        }
    }

    /** A framing or stream error from {@code peer} (e.g. an oversized length prefix). */
    public void violation(PeerId peer, String reason) {
        penalize(peer, config.banScore(), reason);
    }

    // ------------------------------------------------------------------ inbound

    /** A message from {@code peer}, still encoded; a malformed one bans the peer. */
    public void received(PeerId peer, byte[] raw) {
        BitswapMessage m;
        try {
            m = codec.decode(raw, peer);
        } catch (BitswapException e) {
            penalize(peer, config.banScore(), e.getMessage());
            return;
        }
        received(peer, m);
    }

    /** A decoded message from {@code peer} (its blocks already verified by the codec). */
    public void received(PeerId peer, BitswapMessage m) {
        if (isBanned(peer)) {
            return;
        }
        Peer p = peers.get(peer);
        if (p == null) {
            peerConnected(peer);
            p = peers.get(peer);
            if (p == null) {
                return;
            }
        }
        p.lastHeard = clock.millis();
        updateLedger(p, m);
        for (Presence pr : m.presences()) {
            onPresence(p, pr);
        }
        for (Block b : m.blocks()) {
            if (!onBlock(p, b)) {
                return;
            }
        }
        serve(p);
    }

    private void updateLedger(Peer p, BitswapMessage m) {
        if (m.full()) {
            p.ledger.clear();
            p.toServe.clear();
        }
        int limit = config.limits().maxWantlistEntries();
        for (Entry e : m.entries()) {
            if (e.cancel()) {
                p.ledger.remove(e.cid());
                continue;
            }
            LedgerEntry old = p.ledger.get(e.cid());
            if (old == null && p.ledger.size() >= limit) {
                p.overflow.add(e); // answered now if possible, never kept waiting
                continue;
            }
            WantType type =
                    old != null && old.entry.wantType() == WantType.BLOCK
                            ? WantType.BLOCK
                            : e.wantType();
            p.ledger.put(
                    e.cid(),
                    new LedgerEntry(
                            new Entry(e.cid(), e.priority(), false, type, e.sendDontHave())));
            p.toServe.add(e.cid());
        }
    }

    // ------------------------------------------------------------------ serving

    /** Blocks that just entered the store: peers still wanting them get them now. */
    public void blocksAdded(Collection<Cid> cids) {
        for (Peer p : peers.values()) {
            boolean any = false;
            for (Cid c : cids) {
                LedgerEntry le = p.ledger.get(c);
                if (le != null) {
                    le.answered = false;
                    p.toServe.add(c);
                    any = true;
                }
            }
            if (any) {
                serve(p);
            }
        }
    }

    private void serve(Peer p) {
        serveOverflow(p);
        if (peers.get(p.id) != p) {
            return; // banned for flooding
        }
        Outgoing out = null;
        while (!p.toServe.isEmpty()) {
            Iterator<Cid> it = p.toServe.iterator();
            Cid cid = it.next();
            LedgerEntry le = p.ledger.get(cid);
            boolean blockWant =
                    le != null
                            && !le.answered
                            && (le.entry.wantType() == WantType.BLOCK || !p.version.hasPresences());
            if (blockWant && p.outstanding >= config.maxOutstandingBytes()) {
                break; // served when the peer has read what it got (see drained)
            }
            it.remove();
            if (le == null || le.answered) {
                continue;
            }
            if (out == null) {
                out = outgoing(p.id);
            }
            Entry e = le.entry;
            boolean presences = p.version.hasPresences();
            if (e.wantType() == WantType.HAVE && presences) {
                if (has(cid)) {
                    out.presences.add(new Presence(cid, PresenceType.HAVE));
                    p.ledger.remove(cid);
                } else {
                    le.answered = true;
                    if (e.sendDontHave()) {
                        out.presences.add(new Presence(cid, PresenceType.DONT_HAVE));
                    }
                }
                continue;
            }
            Block b = get(cid);
            if (b != null) {
                out.blocks.add(b);
                p.ledger.remove(cid);
                p.blocksSent++;
                p.bytesSent += b.data().length;
                totals.blockSent(b.data().length);
                p.outstanding += b.data().length;
            } else {
                le.answered = true;
                if (e.sendDontHave() && presences) {
                    out.presences.add(new Presence(cid, PresenceType.DONT_HAVE));
                }
            }
        }
    }

    /**
     * Wants that came while the peer's ledger was full: served when the block is here, else refused
     * (DONT_HAVE when asked) rather than kept; a peer refused too often is a flooder.
     */
    private void serveOverflow(Peer p) {
        if (p.overflow.isEmpty()) {
            return;
        }
        Outgoing out = outgoing(p.id);
        boolean presences = p.version.hasPresences();
        for (Entry e : p.overflow) {
            Block b = e.wantType() == WantType.BLOCK || !presences ? get(e.cid()) : null;
            if (b != null) {
                out.blocks.add(b);
                p.blocksSent++;
                p.bytesSent += b.data().length;
                totals.blockSent(b.data().length);
                p.outstanding += b.data().length;
            } else if (e.wantType() == WantType.HAVE && presences && has(e.cid())) {
                out.presences.add(new Presence(e.cid(), PresenceType.HAVE));
            } else {
                p.refused++;
                totals.refused++;
                if (e.sendDontHave() && presences) {
                    out.presences.add(new Presence(e.cid(), PresenceType.DONT_HAVE));
                }
            }
        }
        p.overflow.clear();
        long flood = (long) BitswapLimits.FLOOD_FACTOR * config.limits().maxWantlistEntries();
        if (p.refused >= flood) {
            penalize(
                    p.id,
                    config.banScore(),
                    "wantlist flood: "
                            + p.refused
                            + " wants refused beyond the limit of "
                            + config.limits().maxWantlistEntries()
                            + " open wants");
        }
    }

    private boolean has(Cid cid) {
        return isIdentity(cid) || store.has(cid);
    }

    private Block get(Cid cid) {
        return isIdentity(cid) ? new Block(cid, cid.multihash().digest()) : store.get(cid);
    }

    private static boolean isIdentity(Cid cid) {
        return cid.multihash().code() == Multicodec.IDENTITY.code();
    }

    // ------------------------------------------------------------------ fetching

    /**
     * Opens a session that asks only {@code providers}, or every connected peer when empty. Returns
     * its id.
     */
    public long newSession(Collection<PeerId> providers) {
        long id = nextSession++;
        sessions.put(id, new Session(id, new LinkedHashSet<>(providers)));
        return id;
    }

    /**
     * Lets a session that asks only its listed providers also ask {@code more} (holders a DHT
     * provider lookup found after the session opened). A session that asks every connected peer is
     * left as it is: the new peers are asked once connected. The session's waiting wants go to
     * those of {@code more} that are connected now; the others are asked when they connect.
     */
    public void addProviders(long session, Collection<PeerId> more) {
        Session s = sessions.get(session);
        if (s == null || s.providers.isEmpty()) {
            return;
        }
        boolean added = false;
        for (PeerId p : more) {
            added |= s.providers.add(p);
        }
        if (!added) {
            return;
        }
        for (Want w : new ArrayList<>(wants.values())) {
            if (w.session == s) {
                advance(w);
            }
        }
    }

    /** Ends a session and cancels its wants. */
    public void closeSession(long session) {
        Session s = sessions.remove(session);
        if (s == null) {
            return;
        }
        for (Want w : new ArrayList<>(wants.values())) {
            if (w.session == s) {
                end(w, null);
            }
        }
    }

    /**
     * Wants {@code cids} in {@code session}; {@code onBlock} gets each block (verified) on this
     * engine's thread. A CID already wanted gets another listener.
     */
    public void want(long session, Collection<Cid> cids, Consumer<Block> onBlock) {
        Session s = sessions.get(session);
        if (s == null) {
            throw new IllegalArgumentException("no Bitswap session " + session);
        }
        for (Cid cid : cids) {
            if (isIdentity(cid)) {
                onBlock.accept(get(cid));
                continue;
            }
            Want w = wants.get(cid);
            if (w != null) {
                w.listeners.add(onBlock);
                continue;
            }
            w = new Want(cid, s);
            w.listeners.add(onBlock);
            wants.put(cid, w);
            recentlyEnded.remove(cid);
            advance(w);
        }
    }

    /** Drops {@code onBlock}'s interest in {@code cid}; the want ends when no listener is left. */
    public void cancel(Cid cid, Consumer<Block> onBlock) {
        Want w = wants.get(cid);
        if (w == null) {
            return;
        }
        w.listeners.remove(onBlock);
        if (w.listeners.isEmpty()) {
            end(w, null);
        }
    }

    /** The peers a want has asked so far (for error messages), or an empty set. */
    public Set<PeerId> asked(Cid cid) {
        Want w = wants.get(cid);
        return w == null ? Set.of() : Set.copyOf(w.askedEver);
    }

    /** Re-sends wants whose peer stayed silent past the want timeout. */
    public void tick() {
        long now = clock.millis();
        long timeout = config.wantTimeout().toMillis();
        for (Want w : new ArrayList<>(wants.values())) {
            Peer asked = w.blockFrom == null ? null : peers.get(w.blockFrom);
            // a peer that keeps sending is busy, not silent: time from the last thing it sent
            long since = asked == null ? w.blockAskedAt : Math.max(w.blockAskedAt, asked.lastHeard);
            if (w.blockFrom != null && now - since >= timeout) {
                PeerId silent = w.blockFrom;
                Peer p = asked;
                w.blockFrom = null;
                w.dontHaves.add(silent);
                w.haves.remove(silent);
                if (p != null) {
                    p.wantBlocks--;
                    outgoing(silent).entries.add(Entry.cancel(w.cid));
                }
                timedOut(silent, w.cid);
                if (wants.get(w.cid) == w) {
                    advance(w);
                }
            } else if (w.blockFrom == null
                    && w.haves.isEmpty()
                    && now - w.lastBroadcast >= timeout) {
                // everyone asked said no or nothing: ask again (blocks arrive at peers too)
                w.asked.clear();
                w.dontHaves.clear();
                advance(w);
            }
        }
    }

    private void advance(Want w) {
        if (w.blockFrom != null) {
            return;
        }
        PeerId best = leastLoaded(w, w.haves);
        if (best == null) {
            best = leastLoaded(w, w.session.good);
        }
        if (best != null) {
            askBlock(w, best);
            if (w.session.good.size() < DISCOVERY_PEERS) {
                // more providers may hold the DAG: ask them too, so the session can spread wants
                for (Peer p : peers.values()) {
                    if (p.version.hasPresences()
                            && w.session.accepts(p.id)
                            && !w.session.good.contains(p.id)
                            && !w.asked.contains(p.id)
                            && !w.dontHaves.contains(p.id)) {
                        w.asked.add(p.id);
                        w.askedEver.add(p.id);
                        outgoing(p.id).entries.add(Entry.want(w.cid, WantType.HAVE, true));
                    }
                }
            }
            return;
        }
        boolean sent = false;
        for (Peer p : peers.values()) {
            if (!w.session.accepts(p.id) || w.asked.contains(p.id) || w.dontHaves.contains(p.id)) {
                continue;
            }
            w.asked.add(p.id);
            w.askedEver.add(p.id);
            sent = true;
            WantType type = p.version.hasPresences() ? WantType.HAVE : WantType.BLOCK;
            outgoing(p.id).entries.add(Entry.want(w.cid, type, true));
        }
        if (sent || w.lastBroadcast == 0) {
            w.lastBroadcast = clock.millis();
        }
    }

    private void askBlock(Want w, PeerId peer) {
        w.blockFrom = peer;
        w.blockAskedAt = clock.millis();
        w.asked.add(peer);
        w.askedEver.add(peer);
        peers.get(peer).wantBlocks++;
        outgoing(peer).entries.add(Entry.want(w.cid, WantType.BLOCK, true));
    }

    private PeerId leastLoaded(Want w, Set<PeerId> candidates) {
        Peer best = null;
        for (PeerId id : candidates) {
            Peer p = peers.get(id);
            // peers below 1.2.0 never say DONT_HAVE: they only get wants in broadcasts
            if (p == null
                    || w.dontHaves.contains(id)
                    || !w.session.accepts(id)
                    || !p.version.hasPresences()) {
                continue;
            }
            if (best == null || p.wantBlocks < best.wantBlocks) {
                best = p;
            }
        }
        return best == null ? null : best.id;
    }

    private void onPresence(Peer p, Presence pr) {
        Want w = wants.get(pr.cid());
        if (w == null) {
            Session ended = recentlyEnded.get(pr.cid());
            if (ended != null && pr.type() == PresenceType.HAVE && ended.accepts(p.id)) {
                ended.good.add(p.id); // a late HAVE still says the peer holds the session's DAG
            }
            return;
        }
        if (pr.type() == PresenceType.HAVE) {
            w.haves.add(p.id);
            w.dontHaves.remove(p.id);
            if (w.session.accepts(p.id)) {
                w.session.good.add(p.id);
            }
            Peer busy = w.blockFrom == null ? null : peers.get(w.blockFrom);
            if (busy != null && busy != p && busy.wantBlocks > p.wantBlocks + 1) {
                // move the want to the less loaded holder; a late copy from the first is harmless
                busy.wantBlocks--;
                outgoing(busy.id).entries.add(Entry.cancel(w.cid));
                askBlock(w, p.id);
                return;
            }
        } else {
            w.haves.remove(p.id);
            w.dontHaves.add(p.id);
            if (p.id.equals(w.blockFrom)) {
                w.blockFrom = null;
                p.wantBlocks--;
            }
        }
        advance(w);
    }

    /** Returns false when the block got the peer banned. */
    private boolean onBlock(Peer p, Block b) {
        Want w = wants.get(b.cid());
        if (w == null && b.cid().version() == 0) {
            w = byMultihash(b.cid()); // 1.0.0 blocks come without their CID
        }
        if (w == null) {
            if (recentlyEnded.containsKey(b.cid()) || recentlyEnded.containsKey(b.cid().toV1())) {
                return true; // a duplicate, or a race with our cancel
            }
            penalize(
                    p.id,
                    config.banScore(),
                    "sent block "
                            + b.cid()
                            + " that this node did not ask for (wrong bytes for a wanted CID,"
                            + " or unsolicited)");
            return false;
        }
        p.blocksReceived++;
        p.bytesReceived += b.data().length;
        totals.blockReceived(b.data().length);
        Standing s = standing(p.id);
        s.score = Math.min(s.score + 1, 0);
        if (w.session.accepts(p.id)) {
            w.session.good.add(p.id);
        }
        Block delivered = b.cid().equals(w.cid) ? b : new Block(w.cid, b.data());
        end(w, p.id);
        for (Consumer<Block> l : w.listeners) {
            l.accept(delivered);
        }
        return true;
    }

    private Want byMultihash(Cid v0) {
        for (Want w : wants.values()) {
            if (w.cid.multihash().equals(v0.multihash())) {
                return w;
            }
        }
        return null;
    }

    /** Removes a want; every peer asked for it except {@code from} gets a CANCEL. */
    private void end(Want w, PeerId from) {
        wants.remove(w.cid);
        recentlyEnded.put(w.cid, w.session);
        if (w.blockFrom != null) {
            Peer p = peers.get(w.blockFrom);
            if (p != null) {
                p.wantBlocks--;
            }
        }
        for (PeerId id : w.asked) {
            if (!id.equals(from) && peers.containsKey(id)) {
                outgoing(id).entries.add(Entry.cancel(w.cid));
            }
        }
    }

    // ------------------------------------------------------------------ standing

    private void penalize(PeerId peer, int points, String reason) {
        Standing s = standing(peer);
        s.score -= points;
        s.reason = reason;
        if (s.score > -config.banScore()) {
            return;
        }
        s.bannedUntil = clock.millis() + config.banDuration().toMillis();
        totals.bans++;
        peerDisconnected(peer);
        actions.add(new Disconnect(peer, reason));
    }

    /** Scores a silent peer down; silence alone never bans (a loaded peer is slow, not hostile). */
    private void timedOut(PeerId peer, Cid cid) {
        Standing s = standing(peer);
        s.score = Math.max(s.score - BitswapConfig.TIMEOUT_PENALTY, 1 - config.banScore());
        s.reason = "no answer to want-block " + cid + " within " + config.wantTimeout();
    }

    private Standing standing(PeerId peer) {
        return standing.computeIfAbsent(peer, k -> new Standing());
    }

    public boolean isBanned(PeerId peer) {
        Standing s = standing.get(peer);
        return s != null && s.bannedUntil > clock.millis();
    }

    /** Why {@code peer} last lost points, or null. */
    public String lastPenalty(PeerId peer) {
        Standing s = standing.get(peer);
        return s == null ? null : s.reason;
    }

    public int score(PeerId peer) {
        Standing s = standing.get(peer);
        return s == null ? 0 : s.score;
    }

    public List<PeerStats> peers() {
        List<PeerStats> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            out.add(
                    new PeerStats(
                            p.id,
                            p.version,
                            p.ledger.size(),
                            p.wantBlocks,
                            p.blocksSent,
                            p.bytesSent,
                            p.blocksReceived,
                            p.bytesReceived,
                            score(p.id)));
        }
        return out;
    }

    public Totals totals() {
        return new Totals(
                totals.blocksSent,
                totals.bytesSent,
                totals.blocksReceived,
                totals.bytesReceived,
                totals.refused,
                totals.bans,
                totals.messagesSent,
                totals.wantBlocksSent,
                totals.wantHavesSent);
    }

    /** Peers banned now. */
    public int bannedPeers() {
        long now = clock.millis();
        int n = 0;
        for (Standing s : standing.values()) {
            if (s.bannedUntil > now) {
                n++;
            }
        }
        return n;
    }

    /** The CIDs this node wants now. */
    public List<Cid> wantlist() {
        return List.copyOf(wants.keySet());
    }

    // ------------------------------------------------------------------ output

    private Outgoing outgoing(PeerId peer) {
        return outgoing.computeIfAbsent(peer, k -> new Outgoing());
    }

    private void flushOutgoing() {
        int target = config.targetMessageBytes();
        int maxEntries = config.limits().maxMessageEntries();
        int maxPresences = config.limits().maxPresences();
        for (Map.Entry<PeerId, Outgoing> e : outgoing.entrySet()) {
            Outgoing o = e.getValue();
            int ei = 0;
            int pi = 0;
            int bi = 0;
            while (ei < o.entries.size() || pi < o.presences.size() || bi < o.blocks.size()) {
                int ee = Math.min(o.entries.size(), ei + maxEntries);
                int pe = Math.min(o.presences.size(), pi + maxPresences);
                int be = bi;
                long bytes = 0;
                while (be < o.blocks.size()
                        && (be == bi || bytes + o.blocks.get(be).data().length <= target)) {
                    bytes += o.blocks.get(be).data().length;
                    be++;
                }
                for (Entry x : o.entries.subList(ei, ee)) {
                    if (!x.cancel()) {
                        if (x.wantType() == WantType.BLOCK) {
                            totals.wantBlocksSent++;
                        } else {
                            totals.wantHavesSent++;
                        }
                    }
                }
                totals.messagesSent++;
                actions.add(
                        new Send(
                                e.getKey(),
                                new BitswapMessage(
                                        o.entries.subList(ei, ee),
                                        false,
                                        o.blocks.subList(bi, be),
                                        o.presences.subList(pi, pe),
                                        0)));
                ei = ee;
                pi = pe;
                bi = be;
            }
        }
        outgoing.clear();
    }

    // ------------------------------------------------------------------ state

    private static final class Peer {
        final PeerId id;
        BitswapVersion version = BitswapVersion.V120;
        final Map<Cid, LedgerEntry> ledger = new LinkedHashMap<>();
        final Set<Cid> toServe = new LinkedHashSet<>();
        final List<Entry> overflow = new ArrayList<>();
        long refused;
        long outstanding;
        int wantBlocks;
        long lastHeard;
        long blocksSent;
        long bytesSent;
        long blocksReceived;
        long bytesReceived;

        Peer(PeerId id) {
            this.id = id;
        }
    }

    private static final class LedgerEntry {
        final Entry entry;
        boolean answered;

        LedgerEntry(Entry entry) {
            this.entry = entry;
        }
    }

    private static final class Standing {
        int score;
        long bannedUntil;
        String reason;
    }

    private static final class Session {
        final long id;
        final Set<PeerId> providers;
        final Set<PeerId> good = new LinkedHashSet<>();

        Session(long id, Set<PeerId> providers) {
            this.id = id;
            this.providers = providers;
        }

        boolean accepts(PeerId p) {
            return providers.isEmpty() || providers.contains(p);
        }
    }

    private static final class Want {
        final Cid cid;
        final Session session;
        final List<Consumer<Block>> listeners = new ArrayList<>(1);
        final Set<PeerId> asked = new HashSet<>();
        final Set<PeerId> askedEver = new LinkedHashSet<>();
        final Set<PeerId> haves = new LinkedHashSet<>();
        final Set<PeerId> dontHaves = new HashSet<>();
        PeerId blockFrom;
        long blockAskedAt;
        long lastBroadcast;

        Want(Cid cid, Session session) {
            this.cid = cid;
            this.session = session;
        }
    }

    private static final class Outgoing {
        final List<Entry> entries = new ArrayList<>();
        final List<Presence> presences = new ArrayList<>();
        final List<Block> blocks = new ArrayList<>();
    }
}
