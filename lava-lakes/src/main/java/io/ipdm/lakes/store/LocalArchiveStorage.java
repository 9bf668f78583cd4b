package io.ipdm.lakes.store;

import io.ipdm.lakes.LakesException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** Archives as files in one local directory; syncs the directory after creates and renames. */
public final class LocalArchiveStorage implements ArchiveStorage {
    private final Path dir;
    // read channels stay open: archives are immutable once written, and positional reads are
    // thread-safe; rename and delete drop them
    private final java.util.concurrent.ConcurrentHashMap<String, FileChannel> readers =
            new java.util.concurrent.ConcurrentHashMap<>();

    public LocalArchiveStorage(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    private Path path(String name) {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new LakesException("bad archive name '" + name + "'");
        }
        return dir.resolve(name);
    }

    @Override
    public Output create(String name) throws IOException {
        FileChannel ch =
                FileChannel.open(
                        path(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        syncDir();
        return new Output() {
            private long position;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                position += len;
            }

            @Override
            public void sync() throws IOException {
                ch.force(false);
            }

            @Override
            public long position() {
                return position;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    @Override
    public InputStream openSequential(String name) throws IOException {
        return new BufferedInputStream(Files.newInputStream(path(name)), 1 << 16);
    }

    @Override
    public byte[] read(String name, long offset, int length) throws IOException {
        FileChannel ch = readers.get(name);
        if (ch == null) {
            FileChannel opened = FileChannel.open(path(name), StandardOpenOption.READ);
            ch = readers.putIfAbsent(name, opened);
            if (ch == null) {
                ch = opened;
            } else {
                opened.close();
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) < 0) {
                throw new IOException(
                        name + ": end of file reading " + length + " bytes at " + offset);
            }
        }
        return buf.array();
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(path(name));
    }

    @Override
    public long size(String name) throws IOException {
        return Files.size(path(name));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        dropReader(from);
        dropReader(to);
        Files.move(
                path(from),
                path(to),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        syncDir();
    }

    @Override
    public void delete(String name) throws IOException {
        dropReader(name);
        Files.deleteIfExists(path(name));
        syncDir();
    }

    private void dropReader(String name) throws IOException {
        FileChannel ch = readers.remove(name);
        if (ch != null) {
            ch.close();
        }
    }

    private void syncDir() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some filesystems cannot open directories; their renames are then as durable as they
            // get
        }
    }

    @Override
    public String describe() {
        return dir.toString();
    }
}
