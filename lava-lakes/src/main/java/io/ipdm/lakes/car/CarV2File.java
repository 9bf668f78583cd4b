package io.ipdm.lakes.car;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Varint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Random access to the blocks of an indexed CARv2 file. Reads are positional, so one instance may
 * be shared by threads.
 */
public final class CarV2File implements AutoCloseable {
    private final FileChannel channel;
    private final CarV2Header header;
    private final CarIndex index;

    private CarV2File(FileChannel channel, CarV2Header header, CarIndex index) {
        this.channel = channel;
        this.header = header;
        this.index = index;
    }

    public static CarV2File open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            byte[] pragma = read(ch, 0, CarV2Header.PRAGMA.length);
            if (!Arrays.equals(pragma, CarV2Header.PRAGMA)) {
                throw new CarException(file + " is not a CARv2 file (no v2 pragma)");
            }
            CarV2Header h =
                    CarV2Header.decode(read(ch, pragma.length, CarV2Header.LENGTH), ch.size());
            if (h.indexOffset() == 0) {
                throw new CarException(file + " has no index; rebuild it with CarV2Writer");
            }
            byte[] idx = read(ch, h.indexOffset(), (int) (ch.size() - h.indexOffset()));
            return new CarV2File(ch, h, CarIndex.decode(idx));
        } catch (RuntimeException | IOException e) {
            ch.close();
            throw e;
        }
    }

    public CarV2Header header() {
        return header;
    }

    public CarIndex index() {
        return index;
    }

    /** The block for {@code cid}, verified, or null when the index does not list it. */
    public Block get(Cid cid) throws IOException {
        long offset = index.offsetOf(cid.multihash());
        if (offset < 0) {
            return null;
        }
        long at = header.dataOffset() + offset;
        byte[] head =
                read(channel, at, (int) Math.min(Varint.MAX_BYTES, header.dataSize() - offset));
        Varint.Decoded len = Varint.read(head, 0);
        if (len.value() > header.dataSize() - offset) {
            throw new CarException("section at offset " + offset + " runs past the payload");
        }
        byte[] section = read(channel, at + len.length(), (int) len.value());
        int[] n = new int[1];
        Cid found;
        try {
            found = Cid.read(section, 0, section.length, n);
        } catch (MultiformatException e) {
            throw new CarException(
                    "index points at a bad section at offset " + offset + ": " + e.getMessage());
        }
        if (!found.multihash().equals(cid.multihash())) {
            throw new CarException("index entry for " + cid + " points at " + found);
        }
        byte[] data = Arrays.copyOfRange(section, n[0], section.length);
        if (!cid.verifies(data)) {
            throw new CarException(
                    "block " + cid + " at offset " + offset + " does not match its CID");
        }
        return new Block(cid, data);
    }

    static byte[] read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                throw new CarException("unexpected end of file reading " + n + " bytes at " + pos);
            }
        }
        return buf.array();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
