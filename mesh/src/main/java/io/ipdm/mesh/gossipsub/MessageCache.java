package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.identity.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The message cache (gossipsub v1.0 spec, "Message Cache"): the last {@code length} heartbeat
 * windows of messages, served to IWANT; the newest {@code gossip} windows are advertised in IHAVE.
 * Counts IWANT retransmissions per peer so a peer cannot make us resend a message without bound.
 */
final class MessageCache {
    private static final class Entry {
        final PubSubMessage message;
        final Map<PeerId, Integer> iwantCounts = new HashMap<>();

        Entry(PubSubMessage message) {
            this.message = message;
        }
    }

    private final int gossip;
    private final Map<MessageId, Entry> entries = new HashMap<>();
    private final ArrayDeque<List<MessageId>> windows = new ArrayDeque<>();
    private final int length;

    MessageCache(int length, int gossip) {
        this.length = length;
        this.gossip = gossip;
        windows.addFirst(new ArrayList<>());
    }

    void put(PubSubMessage m) {
        if (entries.putIfAbsent(m.id(), new Entry(m)) == null) {
            windows.peekFirst().add(m.id());
        }
    }

    /**
     * The message for an IWANT, or null if unknown or already sent {@code maxRetransmits} times to
     * {@code peer}.
     */
    PubSubMessage getForPeer(MessageId id, PeerId peer, int maxRetransmits) {
        Entry e = entries.get(id);
        if (e == null) {
            return null;
        }
        int n = e.iwantCounts.merge(peer, 1, Integer::sum);
        return n > maxRetransmits ? null : e.message;
    }

    boolean contains(MessageId id) {
        return entries.containsKey(id);
    }

    /** Ids from the gossip windows for {@code topic}. */
    List<MessageId> gossipIds(String topic) {
        List<MessageId> out = new ArrayList<>();
        int i = 0;
        for (List<MessageId> w : windows) {
            if (i++ >= gossip) {
                break;
            }
            for (MessageId id : w) {
                Entry e = entries.get(id);
                if (e != null && e.message.topic().equals(topic)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    void shift() {
        windows.addFirst(new ArrayList<>());
        while (windows.size() > length) {
            for (MessageId id : windows.pollLast()) {
                entries.remove(id);
            }
        }
    }

    int size() {
        return entries.size();
    }
}
