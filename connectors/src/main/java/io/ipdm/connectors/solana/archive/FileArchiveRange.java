package io.ipdm.connectors.solana.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** A local archive file, read with positional reads. */
final class FileArchiveRange implements ArchiveRange {
    private final Path path;
    private final FileChannel channel;

    FileArchiveRange(Path path) throws IOException {
        this.path = path;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ArchiveException(
                    "no such archive: "
                            + path
                            + " (give an Old Faithful CAR file, a URL or a CID)");
        }
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public byte[] read(long offset, int len, String context) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        long at = offset;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        return buf.position() == len ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    @Override
    public boolean remote() {
        return false;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
