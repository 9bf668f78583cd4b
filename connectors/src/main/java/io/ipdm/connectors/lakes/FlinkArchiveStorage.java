package io.ipdm.connectors.lakes;

import io.ipdm.lakes.store.ArchiveStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Cold archives through Flink's FileSystem abstraction: a local directory ({@code file:///...}) or
 * any filesystem Flink has a plugin for ({@code s3://bucket/lake}, {@code hdfs://...}). Rename is
 * delete-then-rename where the filesystem cannot replace atomically; the cold tier only renames
 * names no reader uses yet (rebuilt archives, manifests), so that stays safe.
 */
public final class FlinkArchiveStorage implements ArchiveStorage {
    private final Path dir;
    private final FileSystem fs;

    public FlinkArchiveStorage(String uri) throws IOException {
        this.dir = new Path(uri);
        this.fs = dir.getFileSystem();
        fs.mkdirs(dir);
    }

    private Path path(String name) {
        if (name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("bad archive name '" + name + "'");
        }
        return new Path(dir, name);
    }

    @Override
    public Output create(String name) throws IOException {
        FSDataOutputStream out = fs.create(path(name), FileSystem.WriteMode.NO_OVERWRITE);
        return new Output() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void sync() throws IOException {
                out.flush();
                out.sync();
            }

            @Override
            public long position() {
                try {
                    return out.getPos();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    @Override
    public InputStream openSequential(String name) throws IOException {
        return new java.io.BufferedInputStream(fs.open(path(name)), 1 << 16);
    }

    @Override
    public byte[] read(String name, long offset, int length) throws IOException {
        try (FSDataInputStream in = fs.open(path(name))) {
            in.seek(offset);
            byte[] b = new byte[length];
            int n = 0;
            while (n < length) {
                int r = in.read(b, n, length - n);
                if (r < 0) {
                    throw new IOException(
                            name + ": end of file reading " + length + " bytes at " + offset);
                }
                n += r;
            }
            return b;
        }
    }

    @Override
    public List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        FileStatus[] all = fs.listStatus(dir);
        if (all != null) {
            for (FileStatus s : all) {
                if (!s.isDir()) {
                    out.add(s.getPath().getName());
                }
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs.exists(path(name));
    }

    @Override
    public long size(String name) throws IOException {
        return fs.getFileStatus(path(name)).getLen();
    }

    @Override
    public void rename(String from, String to) throws IOException {
        if (fs.exists(path(to))) {
            fs.delete(path(to), false);
        }
        if (!fs.rename(path(from), path(to))) {
            throw new IOException("could not rename " + from + " to " + to + " in " + dir);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        fs.delete(path(name), false);
    }

    @Override
    public String describe() {
        return dir.toString();
    }
}
