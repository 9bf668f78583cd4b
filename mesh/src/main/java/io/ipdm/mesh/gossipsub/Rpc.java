package io.ipdm.mesh.gossipsub;

import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A gossipsub RPC (pubsub and gossipsub v1.1 specs):
 *
 * <pre>
 * message RPC { repeated SubOpts subscriptions = 1; repeated Message publish = 2; optional ControlMessage control = 3; }
 * message SubOpts { optional bool subscribe = 1; optional string topicid = 2; }
 * message ControlMessage { repeated ControlIHave ihave = 1; repeated ControlIWant iwant = 2;
 *                          repeated ControlGraft graft = 3; repeated ControlPrune prune = 4;
 *                          repeated ControlIDontWant idontwant = 5; }            // v1.2
 * message ControlIHave { optional string topicID = 1; repeated bytes messageIDs = 2; }
 * message ControlIWant { repeated bytes messageIDs = 1; }
 * message ControlIDontWant { repeated bytes messageIDs = 1; }
 * message ControlGraft { optional string topicID = 1; }
 * message ControlPrune { optional string topicID = 1; repeated PeerInfo peers = 2; optional uint64 backoff = 3; }
 * message PeerInfo { optional bytes peerID = 1; optional bytes signedPeerRecord = 2; }
 * </pre>
 *
 * Decoding enforces per-RPC limits so a hostile peer cannot make us allocate without bound.
 */
public final class Rpc {
    public record SubOpts(boolean subscribe, String topic) {}

    public record IHave(String topic, List<MessageId> ids) {}

    /**
     * A peer offered in a PRUNE's peer exchange: its id and, when the sender holds one, its signed
     * peer record (an envelope, {@link io.ipdm.mesh.identity.PeerRecord}), else null.
     */
    public record PxPeer(byte[] peerId, byte[] signedPeerRecord) {
        public PxPeer(byte[] peerId) {
            this(peerId, null);
        }
    }

    public record Prune(String topic, List<PxPeer> peers, long backoffSeconds) {}

    /** Limits applied while decoding one RPC. */
    public record Limits(int maxSubscriptions, int maxMessages, int maxControlIds) {
        public static Limits defaults() {
            return new Limits(1024, 1024, 10000);
        }
    }

    public final List<SubOpts> subscriptions = new ArrayList<>();

    /** Encoded Message bodies; parsed lazily by the router. */
    public final List<byte[]> publish = new ArrayList<>();

    public final List<IHave> ihave = new ArrayList<>();
    public final List<MessageId> iwant = new ArrayList<>();
    public final List<String> graft = new ArrayList<>();
    public final List<Prune> prune = new ArrayList<>();
    public final List<MessageId> idontwant = new ArrayList<>();

    public boolean isEmpty() {
        return subscriptions.isEmpty()
                && publish.isEmpty()
                && ihave.isEmpty()
                && iwant.isEmpty()
                && graft.isEmpty()
                && prune.isEmpty()
                && idontwant.isEmpty();
    }

    public boolean hasControl() {
        return !ihave.isEmpty()
                || !iwant.isEmpty()
                || !graft.isEmpty()
                || !prune.isEmpty()
                || !idontwant.isEmpty();
    }

    public byte[] encode() {
        ProtoWriter w = new ProtoWriter();
        for (SubOpts s : subscriptions) {
            w.message(1, new ProtoWriter().bool(1, s.subscribe()).string(2, s.topic()));
        }
        for (byte[] m : publish) {
            w.bytes(2, m);
        }
        if (hasControl()) {
            ProtoWriter c = new ProtoWriter();
            for (IHave h : ihave) {
                ProtoWriter hw = new ProtoWriter().string(1, h.topic());
                for (MessageId id : h.ids()) {
                    hw.bytes(2, id.raw());
                }
                c.message(1, hw);
            }
            if (!iwant.isEmpty()) {
                ProtoWriter iw = new ProtoWriter();
                for (MessageId id : iwant) {
                    iw.bytes(1, id.raw());
                }
                c.message(2, iw);
            }
            for (String t : graft) {
                c.message(3, new ProtoWriter().string(1, t));
            }
            for (Prune p : prune) {
                ProtoWriter pw = new ProtoWriter().string(1, p.topic());
                for (PxPeer peer : p.peers()) {
                    ProtoWriter pi = new ProtoWriter().bytes(1, peer.peerId());
                    if (peer.signedPeerRecord() != null) {
                        pi.bytes(2, peer.signedPeerRecord());
                    }
                    pw.message(2, pi);
                }
                if (p.backoffSeconds() > 0) {
                    pw.uint64(3, p.backoffSeconds());
                }
                c.message(4, pw);
            }
            if (!idontwant.isEmpty()) {
                ProtoWriter dw = new ProtoWriter();
                for (MessageId id : idontwant) {
                    dw.bytes(1, id.raw());
                }
                c.message(5, dw);
            }
            w.message(3, c);
        }
        return w.toByteArray();
    }

    public static Rpc decode(byte[] bytes, Limits limits) {
        Rpc rpc = new Rpc();
        ProtoReader r = new ProtoReader(bytes, "RPC");
        int[] ids = {0};
        while (r.next()) {
            switch (r.field()) {
                case 1 -> {
                    if (rpc.subscriptions.size() >= limits.maxSubscriptions()) {
                        throw new GossipException(
                                "RPC has more than "
                                        + limits.maxSubscriptions()
                                        + " subscriptions");
                    }
                    ProtoReader s = new ProtoReader(r.bytes(), "SubOpts");
                    boolean sub = false;
                    String topic = null;
                    while (s.next()) {
                        switch (s.field()) {
                            case 1 -> sub = s.bool();
                            case 2 -> topic = s.string();
                            default -> s.skip();
                        }
                    }
                    if (topic == null) {
                        throw new GossipException("subscription without a topic");
                    }
                    rpc.subscriptions.add(new SubOpts(sub, topic));
                }
                case 2 -> {
                    if (rpc.publish.size() >= limits.maxMessages()) {
                        throw new GossipException(
                                "RPC has more than " + limits.maxMessages() + " messages");
                    }
                    rpc.publish.add(r.bytes());
                }
                case 3 -> decodeControl(rpc, r.bytes(), limits, ids);
                default -> r.skip();
            }
        }
        return rpc;
    }

    private static void decodeControl(Rpc rpc, byte[] bytes, Limits limits, int[] ids) {
        ProtoReader c = new ProtoReader(bytes, "ControlMessage");
        while (c.next()) {
            switch (c.field()) {
                case 1 -> {
                    ProtoReader h = new ProtoReader(c.bytes(), "ControlIHave");
                    String topic = "";
                    List<MessageId> list = new ArrayList<>();
                    while (h.next()) {
                        switch (h.field()) {
                            case 1 -> topic = h.string();
                            case 2 -> {
                                countId(ids, limits);
                                list.add(new MessageId(h.bytes()));
                            }
                            default -> h.skip();
                        }
                    }
                    rpc.ihave.add(new IHave(topic, list));
                }
                case 2 -> {
                    ProtoReader w = new ProtoReader(c.bytes(), "ControlIWant");
                    while (w.next()) {
                        if (w.field() == 1) {
                            countId(ids, limits);
                            rpc.iwant.add(new MessageId(w.bytes()));
                        } else {
                            w.skip();
                        }
                    }
                }
                case 3 -> {
                    ProtoReader g = new ProtoReader(c.bytes(), "ControlGraft");
                    while (g.next()) {
                        if (g.field() == 1) {
                            countId(ids, limits);
                            rpc.graft.add(g.string());
                        } else {
                            g.skip();
                        }
                    }
                }
                case 4 -> {
                    ProtoReader p = new ProtoReader(c.bytes(), "ControlPrune");
                    String topic = "";
                    List<PxPeer> peers = new ArrayList<>();
                    long backoff = 0;
                    while (p.next()) {
                        switch (p.field()) {
                            case 1 -> topic = p.string();
                            case 2 -> {
                                countId(ids, limits);
                                ProtoReader pi = new ProtoReader(p.bytes(), "PeerInfo");
                                byte[] id = null;
                                byte[] record = null;
                                while (pi.next()) {
                                    switch (pi.field()) {
                                        case 1 -> id = pi.bytes();
                                        case 2 -> record = pi.bytes();
                                        default -> pi.skip();
                                    }
                                }
                                if (id != null) {
                                    peers.add(new PxPeer(id, record));
                                }
                            }
                            case 3 -> backoff = p.uint64();
                            default -> p.skip();
                        }
                    }
                    countId(ids, limits);
                    rpc.prune.add(new Prune(topic, peers, backoff));
                }
                case 5 -> {
                    ProtoReader d = new ProtoReader(c.bytes(), "ControlIDontWant");
                    while (d.next()) {
                        if (d.field() == 1) {
                            countId(ids, limits);
                            rpc.idontwant.add(new MessageId(d.bytes()));
                        } else {
                            d.skip();
                        }
                    }
                }
                default -> c.skip(); // future fields
            }
        }
    }

    private static void countId(int[] ids, Limits limits) {
        if (++ids[0] > limits.maxControlIds()) {
            throw new GossipException(
                    "RPC control has more than " + limits.maxControlIds() + " entries");
        }
    }
}
