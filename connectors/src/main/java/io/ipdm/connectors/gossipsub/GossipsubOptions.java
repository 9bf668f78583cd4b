package io.ipdm.connectors.gossipsub;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Options shared by the gossipsub source and sink. Each source reader or sink writer runs its own
 * mesh node.
 *
 * @param topic gossipsub topic
 * @param listen multiaddrs the embedded node listens on (port 0 for any)
 * @param bootstrap peers to dial, each with /p2p/
 * @param keyFile identity key file, or null for a fresh identity per run
 * @param format payload format
 * @param dedupWindow message ids remembered (and checkpointed) by the source to drop repeats
 * @param queueCapacity messages buffered between the mesh and the source; beyond it new messages
 *     are dropped and counted (gossip cannot be back-pressured)
 * @param minSubscribers the sink waits for this many topic subscribers before its first publish
 * @param subscriberTimeout how long the sink waits for them
 * @param authorizedPublishers peer ids (base58) allowed to publish on the topic; empty: anyone. The
 *     source drops (and counts) messages whose verified author is not listed, and its node does not
 *     forward them; the sink refuses to start with a key that is not listed.
 */
public record GossipsubOptions(
        String topic,
        List<String> listen,
        List<String> bootstrap,
        String keyFile,
        PayloadFormat format,
        int dedupWindow,
        int queueCapacity,
        int minSubscribers,
        Duration subscriberTimeout,
        List<String> authorizedPublishers)
        implements Serializable {

    /** Anyone may publish. */
    public GossipsubOptions(
            String topic,
            List<String> listen,
            List<String> bootstrap,
            String keyFile,
            PayloadFormat format,
            int dedupWindow,
            int queueCapacity,
            int minSubscribers,
            Duration subscriberTimeout) {
        this(
                topic,
                listen,
                bootstrap,
                keyFile,
                format,
                dedupWindow,
                queueCapacity,
                minSubscribers,
                subscriberTimeout,
                List.of());
    }

    public GossipsubOptions {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("gossipsub: 'topic' is required");
        }
        listen = List.copyOf(listen);
        bootstrap = List.copyOf(bootstrap);
        authorizedPublishers =
                authorizedPublishers == null ? List.of() : List.copyOf(authorizedPublishers);
        for (String p : authorizedPublishers) {
            try {
                PeerId.parse(p);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "gossipsub: authorized publisher '" + p + "' is not a peer id");
            }
        }
        for (String a : listen) {
            Multiaddr.parse(a);
        }
        for (String b : bootstrap) {
            if (Multiaddr.parse(b).peerId() == null) {
                throw new IllegalArgumentException(
                        "gossipsub: bootstrap address " + b + " needs /p2p/<peer id>");
            }
        }
        if (format == null) {
            throw new IllegalArgumentException("gossipsub: 'format' is required (json or raw)");
        }
        if (dedupWindow < 0 || queueCapacity < 1 || minSubscribers < 0) {
            throw new IllegalArgumentException(
                    "gossipsub: dedupWindow and minSubscribers must be >= 0, queueCapacity >= 1");
        }
    }

    /** Listen on a free loopback port, JSON payloads, 100k ids of de-duplication. */
    public static GossipsubOptions of(String topic, List<String> bootstrap) {
        return new GossipsubOptions(
                topic,
                List.of("/ip4/127.0.0.1/tcp/0"),
                bootstrap,
                null,
                PayloadFormat.JSON,
                100_000,
                100_000,
                0,
                Duration.ofSeconds(30));
    }

    public GossipsubOptions withFormat(PayloadFormat f) {
        return new GossipsubOptions(
                topic,
                listen,
                bootstrap,
                keyFile,
                f,
                dedupWindow,
                queueCapacity,
                minSubscribers,
                subscriberTimeout,
                authorizedPublishers);
    }

    public GossipsubOptions withMinSubscribers(int n, Duration timeout) {
        return new GossipsubOptions(
                topic,
                listen,
                bootstrap,
                keyFile,
                format,
                dedupWindow,
                queueCapacity,
                n,
                timeout,
                authorizedPublishers);
    }

    public GossipsubOptions withAuthorizedPublishers(List<String> peers) {
        return new GossipsubOptions(
                topic,
                listen,
                bootstrap,
                keyFile,
                format,
                dedupWindow,
                queueCapacity,
                minSubscribers,
                subscriberTimeout,
                peers);
    }

    public GossipsubOptions withKeyFile(String file) {
        return new GossipsubOptions(
                topic,
                listen,
                bootstrap,
                file,
                format,
                dedupWindow,
                queueCapacity,
                minSubscribers,
                subscriberTimeout,
                authorizedPublishers);
    }

    /**
     * Null when {@code author} may publish on the topic, else why not (for the drop log and the
     * sink's refusal).
     */
    public String refusal(PeerId author) {
        if (authorizedPublishers.isEmpty() || authorizedPublishers.contains(author.toBase58())) {
            return null;
        }
        return author
                + " is not an authorized publisher of "
                + topic
                + " ("
                + authorizedPublishers.size()
                + " are: authorized_publishers)";
    }
}
