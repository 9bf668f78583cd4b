package io.ipdm.mesh.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of signed records, what makes a {@link RecordStore} survive a restart:
 *
 * <pre>
 * file   = magic "IPDMREC1" entry*
 * entry  = length:u32 (big-endian, 1..maxRecordBytes) crc32c:u32 (of the record) record
 * record = a canonical SignedRecord encoding
 * </pre>
 *
 * Reading stops at the first entry that is cut short, too long, or fails its checksum (a crash in
 * the middle of an append, or a damaged disk): the file is truncated there and {@link #recovery()}
 * says what was dropped, so a crash in the middle of an append costs only that append. {@link
 * #append} writes; {@link #sync()} forces what was appended to disk: the store calls it once per
 * batch of accepted records before it acknowledges any of them (group commit), so an acknowledged
 * record survives a power loss, not only a process crash. Not thread-safe: its store serialises
 * calls.
 */
public final class RecordLog implements AutoCloseable {
    private static final byte[] MAGIC = "IPDMREC1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8;

    private final Path path;
    private final int maxRecordBytes;
    private FileChannel channel;
    private long entries;
    private long durable;
    private String recovery;

    private RecordLog(Path path, int maxRecordBytes) {
        this.path = path;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * Opens (creating) the log at {@code path} and hands every intact record in it to {@code
     * onRecord}, oldest first.
     */
    public static RecordLog open(
            Path path, int maxRecordBytes, java.util.function.Consumer<byte[]> onRecord) {
        RecordLog log = new RecordLog(path, maxRecordBytes);
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            log.channel =
                    FileChannel.open(
                            path,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            log.replay(onRecord);
            log.durable = log.entries;
        } catch (IOException e) {
            log.closeQuietly();
            throw new UncheckedIOException("cannot open record log " + path, e);
        }
        return log;
    }

    private void replay(java.util.function.Consumer<byte[]> onRecord) throws IOException {
        long size = channel.size();
        if (size == 0) {
            channel.write(ByteBuffer.wrap(MAGIC), 0);
            channel.position(HEADER);
            return;
        }
        ByteBuffer magic = ByteBuffer.allocate(HEADER);
        channel.read(magic, 0);
        if (size < HEADER || !Arrays.equals(magic.array(), MAGIC)) {
            throw new RecordException(
                    "record log "
                            + path
                            + " does not start with "
                            + new String(MAGIC, StandardCharsets.US_ASCII)
                            + "; it is not an IPDM record log (move it away: peers resend the"
                            + " records)");
        }
        long pos = HEADER;
        ByteBuffer head = ByteBuffer.allocate(8);
        while (pos < size) {
            String bad = null;
            if (size - pos < 8) {
                bad = "a cut-short entry header";
            } else {
                head.clear();
                channel.read(head, pos);
                int len = head.getInt(0);
                int crc = head.getInt(4);
                if (len < 1 || len > maxRecordBytes) {
                    bad = "an entry length of " + len + " (limit " + maxRecordBytes + ")";
                } else if (size - pos - 8 < len) {
                    bad = "an entry cut short (" + (size - pos - 8) + " of " + len + " bytes)";
                } else {
                    ByteBuffer body = ByteBuffer.allocate(len);
                    channel.read(body, pos + 8);
                    if (crc32c(body.array()) != crc) {
                        bad = "an entry failing its checksum";
                    } else {
                        onRecord.accept(body.array());
                        entries++;
                        pos += 8 + len;
                        continue;
                    }
                }
            }
            recovery =
                    "record log "
                            + path
                            + ": "
                            + bad
                            + " at offset "
                            + pos
                            + "; dropped the last "
                            + (size - pos)
                            + " bytes (peers resend those records)";
            channel.truncate(pos);
            break;
        }
        channel.position(pos);
    }

    /** Appends one record. */
    public void append(byte[] record) {
        ByteBuffer b = ByteBuffer.allocate(8 + record.length);
        b.putInt(record.length).putInt(crc32c(record)).put(record).flip();
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to record log " + path, e);
        }
        entries++;
    }

    /**
     * Replaces the file's contents with {@code records} (superseded versions dropped): written to a
     * temporary file, forced, then moved over the log.
     */
    public void rewrite(List<byte[]> records) {
        Path tmp = path.resolveSibling(path.getFileName() + ".compact");
        try (FileChannel out =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(MAGIC));
            for (byte[] r : records) {
                ByteBuffer b = ByteBuffer.allocate(8 + r.length);
                b.putInt(r.length).putInt(crc32c(r)).put(r).flip();
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            out.force(true);
            channel.close();
            Files.move(
                    tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.position(channel.size());
            entries = records.size();
            durable = entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact record log " + path, e);
        }
    }

    /** Forces the entries appended since the last call to disk (nothing to do when none were). */
    public void sync() {
        if (durable == entries) {
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force record log " + path + " to disk", e);
        }
        durable = entries;
    }

    /** Entries known to be on disk (forced, or read back when opening). */
    public long durableEntries() {
        return durable;
    }

    /** Entries in the file, superseded versions included. */
    public long entries() {
        return entries;
    }

    /** What opening had to drop, or null when the file was intact. */
    public String recovery() {
        return recovery;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.force(true);
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close record log " + path, e);
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
    }

    private static int crc32c(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }
}
