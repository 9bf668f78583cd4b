package io.ipdm.connectors.solana.archive;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.Varint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The CAR v1 sections of an archive between two byte offsets, in order: {@code varint(len) CID
 * block}. Bytes come in chunks of {@code chunk_bytes}; with read-ahead on, the next chunk is
 * fetched while the current one is decoded. With {@code prefetch: auto} read-ahead turns itself off
 * while chunk reads average under {@code prefetch_fast_read} (a local disk with the file in the
 * page cache, or a server next door: it would only add load) and on again when they slow down;
 * every archive is measured, local or remote. Sections are handed out in place (slices of the
 * chunk) unless one spans two chunks. Every block is checked against its CID; a section is at most
 * {@code max_section_bytes}. Errors name the archive, the offset and what was being read.
 *
 * <p>Not thread-safe: one reader thread, plus the read-ahead thread it starts.
 */
public final class SectionStream implements AutoCloseable {
    /**
     * A section: its block, which lies in {@code buf[dataOffset, dataOffset + dataLength)} (a chunk
     * of the archive, shared: not to be modified), and where it lies in the archive.
     */
    public static final class Section {
        private Cid cid;
        private final byte[] buf;
        private final int cidOffset;
        private final int dataOffset;
        private final int dataLength;
        private final long offset;
        private final long end;

        Section(
                Cid cid,
                byte[] buf,
                int cidOffset,
                int dataOffset,
                int dataLength,
                long offset,
                long end) {
            this.cid = cid;
            this.buf = buf;
            this.cidOffset = cidOffset;
            this.dataOffset = dataOffset;
            this.dataLength = dataLength;
            this.offset = offset;
            this.end = end;
        }

        /** The CID, parsed on first use (the usual section is looked up by its bytes). */
        public Cid cid() {
            if (cid == null) {
                cid = Cid.read(buf, cidOffset, dataOffset, new int[1]);
            }
            return cid;
        }

        /** Where the binary CID starts in {@link #buf()}; it ends at {@link #dataOffset()}. */
        public int cidOffset() {
            return cidOffset;
        }

        /** A copy of the block's bytes. */
        public byte[] data() {
            return Arrays.copyOfRange(buf, dataOffset, dataOffset + dataLength);
        }

        public byte[] buf() {
            return buf;
        }

        public int dataOffset() {
            return dataOffset;
        }

        public int dataLength() {
            return dataLength;
        }

        /** Where the section starts in the archive (its length varint). */
        public long offset() {
            return offset;
        }

        public long end() {
            return end;
        }
    }

    private static final ExecutorService READ_AHEAD =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "archive-read-ahead");
                        t.setDaemon(true);
                        return t;
                    });

    private final ArchiveRange range;
    private final java.util.function.LongSupplier nanoTime;
    private final ArchiveOptions options;
    private final boolean readAhead;
    private final boolean always;
    private final long end;
    private long position;
    private String context = "";

    private byte[] chunk = new byte[0];
    private long chunkStart;
    private CompletableFuture<byte[]> next;
    private long nextStart = -1;
    private long avgNanos = -1;
    private int reads;
    private MessageDigest sha256;
    private final byte[] hash = new byte[32];
    private long readsWaitedFor;
    private long readsAhead;

    public SectionStream(ArchiveRange range, ArchiveOptions options, long start, long end) {
        this(range, options, start, end, System::nanoTime);
    }

    /** As above, with the clock read-ahead measures reads with. */
    SectionStream(
            ArchiveRange range,
            ArchiveOptions options,
            long start,
            long end,
            java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.range = range;
        this.options = options;
        this.position = start;
        this.end = end;
        this.chunkStart = start;
        this.always = options.prefetch() == ArchiveOptions.Prefetch.ON;
        // auto: measured on every archive, local or not (a cold disk or a network mount is slow)
        this.readAhead = always || options.prefetch() == ArchiveOptions.Prefetch.AUTO;
    }

    /** What is being read, for error messages (e.g. "slot 1234"). */
    public void context(String what) {
        this.context = what;
    }

    public long position() {
        return position;
    }

    /** Whether read-ahead is on at the moment. */
    public boolean readingAhead() {
        return always || (readAhead && !fast());
    }

    /** Chunk reads this stream's reader issued itself and waited for the whole of. */
    public long synchronousReads() {
        return readsWaitedFor;
    }

    /** Chunk reads that were started ahead, while the reader decoded the chunk before. */
    public long readAheadReads() {
        return readsAhead;
    }

    /** The next section, or null at the end offset. */
    public Section next() throws IOException {
        if (position >= end) {
            return null;
        }
        long offset = position;
        if (offset < chunkStart || offset >= chunkStart + chunk.length) {
            load(offset);
        }
        int headMax = (int) Math.min(Varint.MAX_BYTES, end - offset);
        byte[] headBuf;
        int headAt;
        if (varintEndsInChunk(offset, headMax)) {
            // read in place: loading past the chunk for the head would skip read-ahead
            headBuf = chunk;
            headAt = (int) (offset - chunkStart);
        } else {
            headBuf = bytes(offset, headMax, false);
            headAt = 0;
        }
        long len;
        int varintLen;
        try {
            Varint.Decoded v =
                    Varint.read(headBuf, headAt, Math.min(headBuf.length, headAt + headMax));
            len = v.value();
            varintLen = v.length();
        } catch (MultiformatException e) {
            throw error(offset, "bad section length: " + e.getMessage());
        }
        if (len == 0) {
            throw error(offset, "zero-length section");
        }
        if (len > options.maxSectionBytes()) {
            throw error(
                    offset,
                    "section length "
                            + len
                            + " exceeds the maximum "
                            + options.maxSectionBytes()
                            + " bytes (the archive is corrupt, or raise max_section_bytes)");
        }
        long sectionEnd = offset + varintLen + len;
        if (sectionEnd > end) {
            throw error(
                    offset,
                    "section of "
                            + len
                            + " bytes runs past "
                            + end
                            + " (the archive is truncated, or its slot index is wrong)");
        }
        Slice section = slice(offset + varintLen, (int) len);
        byte[] buf = section.buf;
        int at = section.offset;
        int sectionLimit = at + (int) len;
        Cid cid = null;
        int cidLen;
        if (isSha256CidV1(buf, at, sectionLimit)) {
            // the usual CID, checked in place: no Cid object unless one is asked for
            cidLen = SHA256_CID_V1_BYTES;
            int dataOffset = at + cidLen;
            if (!sha256Matches(buf, dataOffset, sectionLimit - dataOffset, buf, at + 4)) {
                throw mismatch(offset, Cid.read(buf, at, sectionLimit, new int[1]));
            }
        } else {
            int[] read = new int[1];
            try {
                cid = Cid.read(buf, at, sectionLimit, read);
            } catch (MultiformatException e) {
                throw error(offset, "bad CID: " + e.getMessage());
            }
            cidLen = read[0];
            if (!verifies(cid, buf, at + cidLen, (int) len - cidLen)) {
                throw mismatch(offset, cid);
            }
        }
        position = sectionEnd;
        return new Section(cid, buf, at, at + cidLen, (int) len - cidLen, offset, sectionEnd);
    }

    /** A binary CIDv1 with a one-byte codec and a SHA-256 multihash: 01 codec 12 20 digest[32]. */
    private static final int SHA256_CID_V1_BYTES = 36;

    private static boolean isSha256CidV1(byte[] buf, int at, int limit) {
        return limit - at >= SHA256_CID_V1_BYTES
                && buf[at] == 0x01
                && buf[at + 1] >= 0 // a one-byte codec varint
                && buf[at + 2] == 0x12
                && buf[at + 3] == 0x20;
    }

    private ArchiveException mismatch(long offset, Cid cid) {
        return error(
                offset,
                "block "
                        + cid
                        + " does not match its CID (corrupt archive): its bytes hash to"
                        + " something else");
    }

    /** Whether the chunk holds the whole varint at {@code offset} (its last byte < 0x80). */
    private boolean varintEndsInChunk(long offset, int max) {
        if (offset < chunkStart) {
            return false;
        }
        int from = (int) (offset - chunkStart);
        int to = Math.min(chunk.length, from + max);
        for (int i = from; i < to; i++) {
            if ((chunk[i] & 0x80) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code buf[off, off + len)} hashes to {@code cid}, without copying it. */
    private boolean verifies(Cid cid, byte[] buf, int off, int len) {
        Multihash mh = cid.multihash();
        if (mh.code() == Multihash.SHA2_256 && mh.digest().length == 32) {
            return sha256Matches(buf, off, len, mh.digest(), 0);
        }
        if (mh.code() == Multihash.IDENTITY) {
            return Arrays.equals(buf, off, off + len, mh.digest(), 0, mh.digest().length);
        }
        return cid.verifies(Arrays.copyOfRange(buf, off, off + len));
    }

    /**
     * Whether {@code buf[off, off + len)} hashes (SHA-256) to the 32 bytes at {@code
     * digest[digestAt]}: hashed where it lies, into a reused array.
     */
    private boolean sha256Matches(byte[] buf, int off, int len, byte[] digest, int digestAt) {
        if (sha256 == null) {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        sha256.update(buf, off, len);
        try {
            sha256.digest(hash, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        return Arrays.equals(hash, 0, 32, digest, digestAt, digestAt + 32);
    }

    private record Slice(byte[] buf, int offset) {}

    /**
     * {@code n} bytes at {@code at}: in place when one chunk holds them (the usual case), else
     * copied together from the chunks they span.
     */
    private Slice slice(long at, int n) throws IOException {
        if (at < chunkStart || at >= chunkStart + chunk.length) {
            load(at);
        }
        if (at >= chunkStart && at + n <= chunkStart + chunk.length) {
            return new Slice(chunk, (int) (at - chunkStart));
        }
        return new Slice(bytes(at, n, true), 0);
    }

    private ArchiveException error(long offset, String what) {
        return new ArchiveException(
                range.name()
                        + ": at offset "
                        + offset
                        + (context.isEmpty() ? "" : " (" + context + ")")
                        + ": "
                        + what);
    }

    /** {@code n} bytes at {@code at}; {@code exact}: fewer is a truncated archive. */
    private byte[] bytes(long at, int n, boolean exact) throws IOException {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            if (at + got < chunkStart || at + got >= chunkStart + chunk.length) {
                load(at + got);
                if (chunk.length == 0) {
                    break;
                }
            }
            int from = (int) (at + got - chunkStart);
            int k = Math.min(n - got, chunk.length - from);
            System.arraycopy(chunk, from, out, got, k);
            got += k;
        }
        if (got < n) {
            if (exact || got == 0) {
                throw error(
                        at, "the archive ends after " + got + " of " + n + " bytes (truncated)");
            }
            return Arrays.copyOf(out, got);
        }
        return out;
    }

    private void load(long at) throws IOException {
        int len = (int) Math.min(options.chunkBytes(), Math.max(1, end - at));
        byte[] got;
        if (next != null && nextStart == at) {
            got = join(next);
            readsAhead++;
        } else {
            if (next != null) {
                next.cancel(false);
            }
            got = timed(at, len);
            readsWaitedFor++;
        }
        next = null;
        chunk = got;
        chunkStart = at;
        long following = at + got.length;
        if (readingAhead() && got.length > 0 && following < end) {
            int nextLen = (int) Math.min(options.chunkBytes(), end - following);
            String ctx = context;
            nextStart = following;
            next =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return timed(following, nextLen, ctx);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            },
                            READ_AHEAD);
        }
    }

    private byte[] timed(long at, int len) throws IOException {
        return timed(at, len, context);
    }

    private byte[] timed(long at, int len, String ctx) throws IOException {
        long t0 = nanoTime.getAsLong();
        byte[] b = range.read(at, len, ctx.isEmpty() ? "archive data" : ctx);
        record(nanoTime.getAsLong() - t0);
        return b;
    }

    private synchronized void record(long nanos) {
        reads++;
        avgNanos = avgNanos < 0 ? nanos : avgNanos + (nanos - avgNanos) / 8;
    }

    private synchronized boolean fast() {
        return reads >= 4 && avgNanos < options.prefetchFastRead().toNanos();
    }

    private static byte[] join(CompletableFuture<byte[]> f) throws IOException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (next != null) {
            next.cancel(false);
        }
    }
}
