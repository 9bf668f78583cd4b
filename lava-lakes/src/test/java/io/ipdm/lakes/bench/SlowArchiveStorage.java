package io.ipdm.lakes.bench;

import io.ipdm.lakes.store.ArchiveStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Adds a fixed delay to every positional read, as a remote object store's first-byte latency. */
final class SlowArchiveStorage implements ArchiveStorage {
    private final ArchiveStorage inner;
    private final long delayMicros;

    SlowArchiveStorage(ArchiveStorage inner, long delayMicros) {
        this.inner = inner;
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
        return inner.read(name, offset, length);
    }

    @Override
    public Output create(String name) throws IOException {
        return inner.create(name);
    }

    @Override
    public InputStream openSequential(String name) throws IOException {
        return inner.openSequential(name);
    }

    @Override
    public List<String> list() throws IOException {
        return inner.list();
    }

    @Override
    public boolean exists(String name) throws IOException {
        return inner.exists(name);
    }

    @Override
    public long size(String name) throws IOException {
        return inner.size(name);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        inner.rename(from, to);
    }

    @Override
    public void delete(String name) throws IOException {
        inner.delete(name);
    }

    @Override
    public String describe() {
        return inner.describe() + " (+" + delayMicros + " us per read)";
    }
}
