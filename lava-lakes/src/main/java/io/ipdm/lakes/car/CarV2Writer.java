package io.ipdm.lakes.car;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Cid;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a CARv2 file: pragma, header, CARv1 payload, then a car-multihash-index-sorted index. The
 * header is written last, once the sizes are known.
 */
public final class CarV2Writer implements AutoCloseable {
    private final FileChannel channel;
    private final OutputStream out;
    private final CarWriter payload;
    private final List<CarIndex.Entry> entries = new ArrayList<>();
    private boolean closed;

    public CarV2Writer(Path file, List<Cid> roots) throws IOException {
        channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
        channel.position(CarV2Header.DEFAULT_DATA_OFFSET);
        out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        payload = new CarWriter(out, roots);
    }

    public void write(Block block) throws IOException {
        long offset = payload.write(block);
        entries.add(
                new CarIndex.Entry(
                        (int) block.cid().multihash().code(),
                        block.cid().multihash().digest(),
                        offset));
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        long dataSize = payload.position();
        byte[] index = CarIndex.of(entries).encode();
        out.write(index);
        out.flush();
        long dataOffset = CarV2Header.DEFAULT_DATA_OFFSET;
        CarV2Header h = new CarV2Header(new byte[16], dataOffset, dataSize, dataOffset + dataSize);
        ByteBuffer head = ByteBuffer.allocate((int) dataOffset);
        head.put(CarV2Header.PRAGMA).put(h.encode()).flip();
        channel.write(head, 0);
        channel.force(true);
        channel.close();
    }
}
