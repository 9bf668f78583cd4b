package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.multiformats.Cid;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the engine tracks about a root it holds or is responsible for. Owned by the engine. */
final class RootState {
    /** What this node knows of another server's copy. */
    static final class Holder {
        long claimedAt;
        long verifiedAt;
        long replicateSentAt;

        /** Replicate requests sent since its last Holding answer for this root. */
        int unanswered;

        /** When it last refused to hold this root for us (0: never); it is skipped for a while. */
        long refusedAt;

        ChallengeOutcome lastOutcome;
        long lastOutcomeAt;
    }

    final Cid root;
    final KadKey key;

    /** The subscriptions listing the root, as of {@link SubscriptionBook#version()} subsVersion. */
    List<Subscription> subs = List.of();

    long subsVersion = -1;

    /** The union over subscriptions of the first {@code factor} eligible servers, closest first. */
    List<PeerId> responsible = List.of();

    /** The farthest responsible server's key: a newcomer closer than it may enter. */
    KadKey farthest;

    /** Whether some subscription has fewer eligible servers than its factor. */
    boolean short_;

    boolean selfResponsible;

    /** Whether some holder refused this root recently (placement then skips it). */
    boolean refusals;

    boolean underReported;

    /** The DAG's blocks when this node holds all of them, else null. */
    Set<Cid> dag;

    long fetchId;
    long computedAt;
    long releaseAt = -1;
    long nextChallengeAt;
    final Map<PeerId, Holder> holders = new LinkedHashMap<>();

    /**
     * When a peer last asked this node to hold the root (Replicate) or challenged its copy: some
     * server still counts this node active, so a copy within the accept slack is kept rather than
     * handed off and fetched again at the next request (0: never).
     */
    long wantedAt;

    /** Since when this node, unasked, waits to fetch the root it is responsible for (0: not). */
    long ownFetchSince;

    /** Peers that asked us to replicate and wait for our {@code Holding}. */
    final Set<PeerId> askers = new LinkedHashSet<>();

    RootState(Cid root, KadKey key) {
        this.root = root;
        this.key = key;
    }

    boolean complete() {
        return dag != null;
    }

    Holder holder(PeerId p) {
        return holders.computeIfAbsent(p, x -> new Holder());
    }
}
