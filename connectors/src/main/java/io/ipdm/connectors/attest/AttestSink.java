package io.ipdm.connectors.attest;

import io.ipdm.lakes.verify.Attestation;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.KeyFile;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.types.Row;

/**
 * Attests each closed window: for every row of {@code LakesSink.ARCHIVES} (a window's root and its
 * archive blocks) it hands the blocks to the node, then signs an {@link Attestation} (job CID, sink
 * id, window, root, rows, now) with the key in {@code keyFile} and hands it to the node, which
 * checks and publishes it. A refusal fails the job with the node's reason.
 *
 * <p>The key travels as a file path, not as bytes, so the job graph carries no secret; the file
 * must be readable where the task runs.
 */
public final class AttestSink implements Sink<Row> {
    /** Where and how a job attests. */
    public record Target(String admin, String keyFile, String job, String sink)
            implements Serializable {}

    private final Target target;

    public AttestSink(Target target) {
        Cid.parse(target.job()); // fail at build time
        this.target = target;
    }

    @Override
    public SinkWriter<Row> createWriter(WriterInitContext context) {
        return new Writer(target);
    }

    private static final class Writer implements SinkWriter<Row> {
        private final Target target;
        private final Ed25519KeyPair key;
        private final NodeClient node;
        private final Cid job;

        Writer(Target target) {
            this.target = target;
            this.key = KeyFile.load(Path.of(target.keyFile()));
            this.node = new NodeClient(URI.create(target.admin()), null, Duration.ofSeconds(30));
            this.job = Cid.parse(target.job());
        }

        @Override
        public void write(Row row, Context context) throws IOException {
            Cid root = Cid.parse((String) row.getField(2));
            node.putCar((byte[]) row.getField(4));
            Attestation a =
                    new Attestation(
                            job,
                            target.sink(),
                            (Long) row.getField(0),
                            (Long) row.getField(1),
                            root,
                            (Long) row.getField(3),
                            System.currentTimeMillis());
            node.attest(a.sign(key));
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
