package io.ipdm.connectors.gossipsub.sink;

import io.ipdm.connectors.gossipsub.ArrowPayload;
import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.PayloadFormat;
import io.ipdm.connectors.gossipsub.RowCodec;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Publishes each row (JSON object of the row's fields, or the raw {@code data} field), or batches
 * of rows as Arrow IPC streams, with its own mesh node. {@link #flush} publishes the buffered Arrow
 * rows and waits until every message so far has been handed to the connected peers, so a checkpoint
 * completes only after its rows left this node.
 */
final class GossipsubWriter implements SinkWriter<Row> {
    static final int ARROW_BATCH_ROWS = 1024;

    private final GossipsubOptions options;
    private final String[] names;
    private final TypeInformation<?>[] types;
    private final int dataField;
    private final MeshNode node;
    private final int maxMessageSize;
    private final List<CompletableFuture<?>> pending = new ArrayList<>();
    private final List<Row> batch = new ArrayList<>();
    private boolean ready;

    GossipsubWriter(GossipsubOptions options, RowTypeInfo input) {
        this.options = options;
        this.names = input.getFieldNames();
        this.types = input.getFieldTypes();
        this.dataField = Arrays.asList(names).indexOf("data");
        if (options.format() == PayloadFormat.RAW && dataField < 0) {
            throw new IllegalArgumentException(
                    "gossipsub sink with format raw needs a 'data' field (bytes); the input has "
                            + Arrays.toString(names));
        }
        MeshNodeConfig cfg =
                MeshNodeConfig.of(
                        options.listen().stream().map(Multiaddr::parse).toList(),
                        options.bootstrap().stream().map(Multiaddr::parse).toList(),
                        List.of());
        if (options.keyFile() != null) {
            cfg = cfg.withKeyFile(Path.of(options.keyFile()));
        }
        this.maxMessageSize = cfg.gossip().maxMessageSize();
        this.node = MeshNode.start(cfg);
        String why = options.refusal(node.peerId());
        if (why != null) {
            node.close();
            throw new IllegalStateException(
                    "gossipsub sink: "
                            + why
                            + "; set key_file to an authorized key or add "
                            + node.peerId()
                            + " to authorized_publishers");
        }
    }

    @Override
    public void write(Row row, Context context) throws IOException, InterruptedException {
        if (!ready) {
            awaitSubscribers();
            ready = true;
        }
        switch (options.format()) {
            case RAW -> publish((byte[]) row.getField(dataField));
            case JSON -> publish(RowCodec.toJson(row, names));
            case ARROW -> {
                batch.add(Row.copy(row));
                if (batch.size() >= ARROW_BATCH_ROWS) {
                    publishBatch();
                }
            }
        }
        if (pending.size() >= 1024) {
            awaitPublished();
        }
    }

    private void publish(byte[] payload) {
        pending.add(node.publish(options.topic(), payload));
    }

    private void publishBatch() throws IOException {
        if (!batch.isEmpty()) {
            publishRows(batch);
            batch.clear();
        }
    }

    /** One message, or halves until each fits the message size limit. */
    private void publishRows(List<Row> rows) throws IOException {
        byte[] payload = ArrowPayload.encode(names, types, rows);
        if (payload.length <= maxMessageSize) {
            publish(payload);
        } else if (rows.size() == 1) {
            throw new IOException(
                    "gossipsub sink: one row encodes to "
                            + payload.length
                            + " bytes of Arrow, more than the message size limit "
                            + maxMessageSize);
        } else {
            int half = rows.size() / 2;
            publishRows(rows.subList(0, half));
            publishRows(rows.subList(half, rows.size()));
        }
    }

    private void awaitSubscribers() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.subscriberTimeout().toNanos();
        while (node.gossip().topicPeers(options.topic()).size() < options.minSubscribers()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "gossipsub sink: fewer than "
                                + options.minSubscribers()
                                + " subscribers to "
                                + options.topic()
                                + " after "
                                + options.subscriberTimeout()
                                + "; check the bootstrap addresses");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        publishBatch();
        awaitPublished();
    }

    private void awaitPublished() throws IOException, InterruptedException {
        for (CompletableFuture<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IOException(
                        "gossipsub sink: publish failed: " + e.getCause().getMessage(),
                        e.getCause());
            }
        }
        pending.clear();
    }

    MeshNode node() {
        return node;
    }

    @Override
    public void close() {
        node.close();
    }
}
