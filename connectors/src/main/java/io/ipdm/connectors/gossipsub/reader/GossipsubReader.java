package io.ipdm.connectors.gossipsub.reader;

import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.RowCodec;
import io.ipdm.connectors.gossipsub.split.GossipsubSplit;
import io.ipdm.mesh.gossipsub.PubSubMessage;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a mesh node subscribed to the topic once it owns the split, and emits each message as a row.
 * Repeats (by message id, within the de-dup window, which is checkpointed) are dropped; payloads
 * that do not fit the declared fields are counted and skipped.
 *
 * <p>Threading: Flink calls every method on the task's mailbox thread; the mesh thread only
 * enqueues messages and completes the availability future.
 */
public final class GossipsubReader implements SourceReader<Row, GossipsubSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(GossipsubReader.class);

    private final SourceReaderContext context;
    private final GossipsubOptions options;
    private final RowCodec codec;
    private final ArrayBlockingQueue<PubSubMessage> queue;
    private final LinkedHashSet<String> recent = new LinkedHashSet<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private GossipsubSplit split;
    private MeshNode node;
    private long badPayloads;
    private long repeats;

    public GossipsubReader(SourceReaderContext context, GossipsubOptions options, RowCodec codec) {
        this.context = context;
        this.options = options;
        this.codec = codec;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        // the Flink metric of authorized_publishers drops (the mesh thread counts it)
        context.metricGroup().gauge("unauthorizedMessages", unauthorized::get);
    }

    @Override
    public void start() {
        context.sendSplitRequest();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Row> output) {
        PubSubMessage m = queue.poll();
        if (m == null) {
            synchronized (lock) {
                if (queue.isEmpty()) {
                    if (available.isDone()) {
                        available = new CompletableFuture<>();
                    }
                    return InputStatus.NOTHING_AVAILABLE;
                }
            }
            return InputStatus.MORE_AVAILABLE;
        }
        String id = m.id().toString();
        if (!remember(id)) {
            repeats++;
            return InputStatus.MORE_AVAILABLE;
        }
        try {
            for (Row r : codec.toRows(m.topic(), id, m.author().toBase58(), m.seqno(), m.data())) {
                output.collect(r);
            }
        } catch (IllegalArgumentException e) {
            badPayloads++;
            LOG.warn(
                    "gossipsub source: skipping message {} from {}: {}",
                    id,
                    m.author(),
                    e.getMessage());
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private boolean remember(String id) {
        if (options.dedupWindow() == 0) {
            return true;
        }
        if (!recent.add(id)) {
            return false;
        }
        if (recent.size() > options.dedupWindow()) {
            Iterator<String> it = recent.iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    @Override
    public List<GossipsubSplit> snapshotState(long checkpointId) {
        return split == null
                ? List.of()
                : List.of(new GossipsubSplit(split.topic(), new ArrayList<>(recent)));
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (lock) {
            return available;
        }
    }

    @Override
    public void addSplits(List<GossipsubSplit> splits) {
        if (splits.isEmpty() || split != null) {
            return;
        }
        split = splits.get(0);
        recent.addAll(split.recentIds());
        MeshNodeConfig cfg =
                MeshNodeConfig.of(
                        options.listen().stream().map(Multiaddr::parse).toList(),
                        options.bootstrap().stream().map(Multiaddr::parse).toList(),
                        List.of());
        if (options.keyFile() != null) {
            cfg = cfg.withKeyFile(Path.of(options.keyFile()));
        }
        node = MeshNode.start(cfg);
        if (!options.authorizedPublishers().isEmpty()) {
            // gossipsub has verified the signature and that it is from's key (StrictSign) before
            // a validator runs; a rejected message is not forwarded and counts against the peer
            // that sent it (P4): peers honouring the topic's publishers never forward one
            node.gossip().setValidator(split.topic(), this::authorized);
        }
        LOG.info(
                "gossipsub source on {} runs peer {} at {}",
                split.topic(),
                node.peerId(),
                node.addresses());
        node.subscribe(
                split.topic(),
                (m, from) -> {
                    if (!queue.offer(m)) {
                        dropped.incrementAndGet();
                        return;
                    }
                    synchronized (lock) {
                        available.complete(null);
                    }
                });
    }

    private boolean authorized(PubSubMessage m) {
        String why = options.refusal(m.author());
        if (why == null) {
            return true;
        }
        long n = unauthorized.incrementAndGet();
        if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: say it without flooding the log
            LOG.warn("gossipsub source: dropped message {} ({} so far): {}", m.seqno(), n, why);
        }
        return false;
    }

    @Override
    public void notifyNoMoreSplits() {}

    /** The embedded node, once the split is assigned (for tests and metrics). */
    public MeshNode node() {
        return node;
    }

    public long droppedMessages() {
        return dropped.get();
    }

    /** Messages dropped because their author is not an authorized publisher. */
    public long unauthorizedMessages() {
        return unauthorized.get();
    }

    public long badPayloads() {
        return badPayloads;
    }

    public long repeats() {
        return repeats;
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
