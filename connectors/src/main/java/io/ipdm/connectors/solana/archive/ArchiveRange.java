package io.ipdm.connectors.solana.archive;

import java.io.Closeable;
import java.io.IOException;

/**
 * Random access to the bytes of one archive: a local file or an HTTP(S) URL read with range
 * requests. Implementations are thread-safe (read-ahead reads from another thread).
 */
public interface ArchiveRange extends Closeable {
    /** The file path or URL, for messages. */
    String name();

    /** Total size in bytes. */
    long size() throws IOException;

    /**
     * Reads exactly {@code len} bytes at {@code offset} (fewer only at the end of the archive);
     * {@code context} names what is being read (e.g. "slot 12") for the error message.
     */
    byte[] read(long offset, int len, String context) throws IOException;

    /** Whether this archive is remote (a read costs a round trip). */
    boolean remote();

    /**
     * Whether a read at any offset costs about the same (a file, an HTTP server with range reads);
     * false for an HTTP server without them, known after the first read: the archive is then read
     * as one stream in order, and best by one reader.
     */
    default boolean randomAccess() {
        return true;
    }

    /** Opens a file path or an http(s) URL. */
    static ArchiveRange open(String location, ArchiveOptions options) throws IOException {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return new HttpArchiveRange(location, options);
        }
        return new FileArchiveRange(java.nio.file.Path.of(location));
    }

    @Override
    default void close() throws IOException {}
}
