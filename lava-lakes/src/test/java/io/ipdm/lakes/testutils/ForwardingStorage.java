package io.ipdm.lakes.testutils;

import io.ipdm.lakes.store.ArchiveStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** An {@link ArchiveStorage} that forwards every call; tests override the calls they alter. */
public class ForwardingStorage implements ArchiveStorage {
    private final ArchiveStorage inner;

    public ForwardingStorage(ArchiveStorage inner) {
        this.inner = inner;
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
    public byte[] read(String name, long offset, int length) throws IOException {
        return inner.read(name, offset, length);
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
        return inner.describe();
    }
}
