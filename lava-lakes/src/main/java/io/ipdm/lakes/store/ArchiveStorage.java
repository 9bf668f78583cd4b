package io.ipdm.lakes.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where cold archives live: a flat namespace of named byte files. Archives are written once,
 * sequentially, and read positionally. Implementations: {@link LocalArchiveStorage} here, and one
 * over Flink's FileSystem in the connectors module (any Flink-supported filesystem, e.g. s3://).
 *
 * <p>Crash safety needs only: {@link Output#sync} makes written bytes durable, {@link #rename}
 * replaces the target atomically (or, on stores without atomic rename, is only used on names no
 * reader is using), and {@link #list} sees every created file. Nothing is ever truncated or
 * appended to after a reopen.
 */
public interface ArchiveStorage {

    /** A file being written. */
    interface Output extends Closeable {
        void write(byte[] b, int off, int len) throws IOException;

        /** Makes everything written so far durable. */
        void sync() throws IOException;

        long position();
    }

    /** Creates a new file; fails if it exists. */
    Output create(String name) throws IOException;

    InputStream openSequential(String name) throws IOException;

    /** Reads exactly {@code length} bytes at {@code offset}. */
    byte[] read(String name, long offset, int length) throws IOException;

    List<String> list() throws IOException;

    boolean exists(String name) throws IOException;

    long size(String name) throws IOException;

    /** Renames, replacing {@code to} if it exists. */
    void rename(String from, String to) throws IOException;

    void delete(String name) throws IOException;

    /** Where the archives are, for messages. */
    String describe();
}
