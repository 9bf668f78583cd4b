package io.ipdm.lakes.bench;

import io.ipdm.lakes.store.ArchiveStorage;
import io.ipdm.lakes.testutils.ForwardingStorage;
import java.io.IOException;

/** Adds a fixed delay to every positional read, as a remote object store's first-byte latency. */
final class SlowArchiveStorage extends ForwardingStorage {
    private final long delayMicros;

    SlowArchiveStorage(ArchiveStorage inner, long delayMicros) {
        super(inner);
        this.delayMicros = delayMicros;
    }

    @Override
    public byte[] read(String name, long offset, int length) throws IOException {
        try {
            Thread.sleep(delayMicros / 1000, (int) (delayMicros % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return super.read(name, offset, length);
    }
}
