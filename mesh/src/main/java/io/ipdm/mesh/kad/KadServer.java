package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Multihash;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The serving side of {@link Kademlia}: answers inbound requests (PING, FIND_NODE, GET_VALUE with
 * the record held and closer peers, GET_PROVIDERS, ADD_PROVIDER, PUT_VALUE of valid /pk and /ipns
 * records) after the client-mode, ban and rate checks, and penalizes malformed keys and bogus
 * provider records. It works on the node's routing table, provider store and guard; the node's
 * thread calls it.
 */
final class KadServer {
    private final Kademlia k;
    private final PeerId self;
    private final KadConfig cfg;
    private final RoutingTable table;
    private final ProviderStore store;
    private final PeerGuard guard;
    private final Set<PeerId> connected;
    private final ValueRecords values;

    KadServer(Kademlia k) {
        this.k = k;
        this.self = k.self;
        this.cfg = k.cfg;
        this.table = k.table;
        this.store = k.store;
        this.guard = k.guard;
        this.connected = k.connected;
        this.values = k.values;
    }

    /** Answers an inbound request from {@code from}. */
    InboundResult answer(PeerId from, KadMessage req) {
        long now = k.now();
        k.requestsIn++;
        if (cfg.mode() == KadConfig.Mode.CLIENT) {
            return refuse("client mode: this node does not serve " + cfg.protocol());
        }
        if (guard.isBanned(from, now)) {
            return refuse("peer " + from + " is banned for misbehaving");
        }
        if (!guard.allowRequest(from, now)) {
            k.penalize(from, Kademlia.FLOOD_POINTS, "over the request rate");
            return refuse(
                    "peer "
                            + from
                            + " is over the rate of "
                            + cfg.inboundRequestsPerSecond()
                            + " requests/s (burst "
                            + cfg.inboundBurst()
                            + ")");
        }
        return switch (req.type()) {
            case PING -> new InboundResult.Respond(KadMessage.request(KadMessage.Type.PING, null));
            case FIND_NODE ->
                    new InboundResult.Respond(
                            KadMessage.response(
                                    KadMessage.Type.FIND_NODE,
                                    req.key(),
                                    findNodeAnswer(req.key(), from),
                                    List.of()));
            case GET_VALUE ->
                    new InboundResult.Respond(
                            new KadMessage(
                                    KadMessage.Type.GET_VALUE,
                                    req.key(),
                                    values.get(req.key(), now),
                                    closerPeers(KadKey.of(req.key()), from),
                                    List.of()));
            case GET_PROVIDERS -> {
                if (req.key().length == 0) {
                    k.penalize(from, Kademlia.MALFORMED_POINTS, "GET_PROVIDERS without a key");
                    yield refuse("GET_PROVIDERS without a key");
                }
                List<KadPeer> providers = new ArrayList<>();
                int room = cfg.maxPeersPerMessage() - cfg.k();
                for (ProviderRecord r : store.get(req.key(), now)) {
                    if (providers.size() >= room) {
                        break;
                    }
                    providers.add(withConnectedness(r.provider(), r.addrs()));
                }
                yield new InboundResult.Respond(
                        KadMessage.response(
                                KadMessage.Type.GET_PROVIDERS,
                                req.key(),
                                closerPeers(KadKey.of(req.key()), from),
                                providers));
            }
            case ADD_PROVIDER -> addProvider(from, req, now);
            case PUT_VALUE -> putValue(from, req, now);
        };
    }

    private InboundResult refuse(String reason) {
        k.requestsRefused++;
        return new InboundResult.Refuse(reason);
    }

    /** Stores a valid /pk or /ipns record and echoes the request, as the spec asks. */
    private InboundResult putValue(PeerId from, KadMessage req, long now) {
        try {
            if (!values.put(req.key(), req.record(), now)) {
                return refuse("PUT_VALUE: a better record for this key is held");
            }
        } catch (ValueRecords.InvalidRecord e) {
            if (e.misbehaviour) {
                k.penalize(from, Kademlia.BOGUS_RECORD_POINTS, "PUT_VALUE: " + e.getMessage());
            }
            return refuse("PUT_VALUE refused: " + e.getMessage());
        }
        return new InboundResult.Respond(req);
    }

    private InboundResult addProvider(PeerId from, KadMessage req, long now) {
        try {
            Multihash.decode(req.key());
        } catch (IllegalArgumentException e) {
            k.penalize(from, Kademlia.MALFORMED_POINTS, "ADD_PROVIDER key is not a multihash");
            return refuse("ADD_PROVIDER key is not a multihash: " + e.getMessage());
        }
        int stored = 0;
        int bogus = 0;
        for (KadPeer p : req.providerPeers()) {
            if (p.id().equals(from) && !p.addrs().isEmpty()) {
                if (store.add(
                        req.key(),
                        from,
                        k.capAddrs(p.addrs()),
                        now + cfg.providerTtl().toMillis())) {
                    stored++;
                }
            } else {
                bogus++;
            }
        }
        if (bogus > 0 || req.providerPeers().isEmpty()) {
            k.penalize(
                    from,
                    Kademlia.BOGUS_PROVIDER_POINTS,
                    "ADD_PROVIDER with "
                            + (req.providerPeers().isEmpty()
                                    ? "no provider"
                                    : bogus
                                            + " record(s) for another peer or without a usable"
                                            + " address"));
        }
        return stored > 0 || bogus == 0
                ? new InboundResult.NoResponse()
                : refuse("ADD_PROVIDER: no record was for the sender with an address");
    }

    /**
     * The k contacts closest to the key, the requester left out (a known target comes first, at
     * distance 0). Only a lookup of this node's own id is answered with this node alone. A joining
     * node looks up its own id: answering it with just its own entry, which this node holds since
     * identify, would teach it no other peer, and it would know only its bootstrap peer until the
     * next refresh (the spec, like go-libp2p-kad-dht, answers with the closest peers).
     */
    private List<KadPeer> findNodeAnswer(byte[] key, PeerId from) {
        try {
            if (PeerId.fromBytes(key).equals(self)) {
                return List.of(KadPeer.of(self, k.localAddrs));
            }
        } catch (IllegalArgumentException e) {
            // FIND_NODE may target any key (refresh lookups); then only distance matters
        }
        return closerPeers(KadKey.of(key), from);
    }

    private List<KadPeer> closerPeers(KadKey target, PeerId exclude) {
        List<KadPeer> out = new ArrayList<>(cfg.k());
        for (RoutingTable.Contact c : table.closest(target, cfg.k() + 1)) {
            if (!c.peer.equals(exclude) && out.size() < cfg.k()) {
                out.add(withConnectedness(c.peer, c.addrs));
            }
        }
        return out;
    }

    private KadPeer withConnectedness(PeerId p, List<Multiaddr> addrs) {
        return new KadPeer(
                p,
                addrs,
                connected.contains(p)
                        ? KadPeer.Connectedness.CONNECTED
                        : KadPeer.Connectedness.NOT_CONNECTED);
    }
}
