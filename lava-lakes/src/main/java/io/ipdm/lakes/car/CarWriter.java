package io.ipdm.lakes.car;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Varint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Streaming CARv1 writer. Does not close or buffer the stream it is given. Not thread-safe. */
public final class CarWriter {
    private final OutputStream out;
    private long position;

    public CarWriter(OutputStream out, List<Cid> roots) throws IOException {
        this.out = out;
        byte[] header = new CarHeader(roots).encode();
        writeVarint(header.length);
        out.write(header);
        position += header.length;
    }

    /** Writes one section; returns its offset from the start of the CAR. */
    public long write(Block block) throws IOException {
        long offset = position;
        byte[] cid = block.cid().toBytes();
        writeVarint((long) cid.length + block.data().length);
        out.write(cid);
        out.write(block.data());
        position += cid.length + block.data().length;
        return offset;
    }

    /** Bytes written so far. */
    public long position() {
        return position;
    }

    /** The size of the section {@code block} takes. */
    public static long sectionLength(Block block) {
        long len = (long) block.cid().byteLength() + block.data().length;
        return Varint.encodedLength(len) + len;
    }

    private void writeVarint(long v) throws IOException {
        byte[] b = Varint.encode(v);
        out.write(b);
        position += b.length;
    }
}
