package io.ipdm.lakes.car;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Varint;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Streaming CAR v1/v2 reader (<a href="https://ipld.io/specs/transport/car/carv1/">CARv1</a>):
 * {@code varint(len) header} then sections {@code varint(len) CID block}. A v2 file is recognised
 * by its pragma and its inner v1 payload is read. Every block is checked against its CID unless
 * verification is turned off. Not thread-safe.
 */
public final class CarReader implements Closeable {
    /** Reader options; sizes bound allocation on untrusted input. */
    public record Options(
            boolean verify, boolean zeroLengthSectionAsEof, int maxHeaderSize, int maxSectionSize) {
        public static final Options DEFAULT = new Options(true, false, 32 << 20, 32 << 20);

        public Options withZeroLengthSectionAsEof() {
            return new Options(verify, true, maxHeaderSize, maxSectionSize);
        }

        public Options withoutVerification() {
            return new Options(false, zeroLengthSectionAsEof, maxHeaderSize, maxSectionSize);
        }
    }

    /** A block and where its section lies, relative to the start of the CARv1 payload. */
    public record Section(Block block, long offset, int length, long blockOffset) {}

    private final InputStream in;
    private final Options options;
    private final CarHeader header;
    private final CarV2Header v2;
    private final long payloadStart;
    private final long payloadEnd;
    private long position;
    private int index;

    private CarReader(InputStream in, Options options) throws IOException {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.options = options;
        byte[] first = readHeaderBytes();
        long version = CarHeader.version(first);
        if (version == 2) {
            if (position != CarV2Header.PRAGMA.length) {
                throw new CarException(
                        "invalid CARv2 pragma: it must be exactly the 11 bytes of {version: 2}");
            }
            byte[] h = readFully(CarV2Header.LENGTH, "CARv2 header");
            v2 = CarV2Header.decode(h, -1);
            skipTo(v2.dataOffset());
            payloadStart = position;
            payloadEnd = position + v2.dataSize();
            byte[] inner = readHeaderBytes();
            long innerVersion = CarHeader.version(inner);
            if (innerVersion != 1) {
                throw new CarException(
                        "invalid CARv2 payload: inner header has version "
                                + innerVersion
                                + ", not 1");
            }
            header = CarHeader.decodeV1(inner);
        } else if (version == 1) {
            v2 = null;
            payloadStart = 0;
            payloadEnd = Long.MAX_VALUE;
            header = CarHeader.decodeV1(first);
        } else {
            throw new CarException(
                    "unsupported CAR version " + version + " (1 and 2 are supported)");
        }
    }

    public static CarReader open(InputStream in) throws IOException {
        return new CarReader(in, Options.DEFAULT);
    }

    public static CarReader open(InputStream in, Options options) throws IOException {
        return new CarReader(in, options);
    }

    public int version() {
        return v2 == null ? 1 : 2;
    }

    public CarHeader header() {
        return header;
    }

    public CarV2Header v2Header() {
        return v2;
    }

    /** The next section, or null at the end of the payload. */
    public Section next() throws IOException {
        if (position >= payloadEnd) {
            return null;
        }
        long offset = position - payloadStart;
        long len = readVarint("section");
        if (len < 0) {
            if (v2 != null) {
                throw new CarException(
                        "invalid section data: payload ends before its declared size");
            }
            return null;
        }
        if (len == 0) {
            if (options.zeroLengthSectionAsEof()) {
                return null;
            }
            throw new CarException("invalid section data: zero-length section at offset " + offset);
        }
        if (len > options.maxSectionSize()) {
            throw new CarException(
                    "invalid section data: section length "
                            + len
                            + " at offset "
                            + offset
                            + " exceeds the maximum "
                            + options.maxSectionSize());
        }
        byte[] section = readFully((int) len, "section at offset " + offset);
        int[] cidLen = new int[1];
        Cid cid;
        try {
            cid = Cid.read(section, 0, section.length, cidLen);
        } catch (MultiformatException e) {
            throw new CarException(
                    "invalid section data: bad CID at offset " + offset + ": " + e.getMessage());
        }
        byte[] data = java.util.Arrays.copyOfRange(section, cidLen[0], section.length);
        if (options.verify() && !cid.verifies(data)) {
            throw new CarException(
                    "block "
                            + cid
                            + " in section "
                            + index
                            + " at offset "
                            + offset
                            + " does not match its CID");
        }
        index++;
        long sectionLength = position - payloadStart - offset;
        return new Section(
                new Block(cid, data),
                offset,
                (int) sectionLength,
                offset + sectionLength - data.length);
    }

    private byte[] readHeaderBytes() throws IOException {
        long len = readVarint("header");
        if (len <= 0) {
            throw new CarException(
                    "invalid header data: " + (len < 0 ? "empty file" : "zero-length header"));
        }
        if (len > options.maxHeaderSize()) {
            throw new CarException(
                    "invalid header data: header length "
                            + len
                            + " exceeds the maximum "
                            + options.maxHeaderSize());
        }
        return readFully((int) len, "header");
    }

    /** A varint from the stream, or -1 at a clean end of stream. */
    private long readVarint(String what) throws IOException {
        byte[] buf = new byte[Varint.MAX_BYTES];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) {
                    return -1;
                }
                throw new CarException("invalid " + what + " data: truncated length varint");
            }
            position++;
            buf[n++] = (byte) b;
            if ((b & 0x80) == 0 || n == buf.length) {
                break;
            }
        }
        try {
            return Varint.read(buf, 0, n).value();
        } catch (MultiformatException e) {
            throw new CarException("invalid " + what + " data: " + e.getMessage());
        }
    }

    private byte[] readFully(int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        position += b.length;
        if (b.length != n) {
            String kind = what.startsWith("section") ? "section data" : "header data";
            throw new CarException(
                    "invalid "
                            + kind
                            + ": "
                            + what
                            + " truncated, needs "
                            + n
                            + " bytes, got "
                            + b.length);
        }
        return b;
    }

    private void skipTo(long target) throws IOException {
        while (position < target) {
            long s = in.skip(target - position);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new CarException(
                            "invalid CARv2 header: data offset " + target + " is past the end");
                }
                s = 1;
            }
            position += s;
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
