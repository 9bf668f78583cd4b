package io.ipdm.mesh.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;

/**
 * Splits a stream into {@code varint(len) bytes[len]} messages, as identify, gossipsub and
 * request/response protocols frame them. A state machine over arbitrary chunks; the size limit is
 * fixed at construction and a longer (or malformed) length prefix fails before anything is
 * allocated for it.
 */
public final class LengthPrefixedReader {
    private final int maxMessage;
    private final String what;
    private final ByteBuf buffer = Unpooled.buffer();
    private int expected = -1;

    public LengthPrefixedReader(int maxMessage, String what) {
        this.maxMessage = maxMessage;
        this.what = what;
    }

    /** Feeds a chunk; calls {@code sink} for each complete message. */
    public void feed(ByteBuf chunk, Consumer<byte[]> sink) {
        buffer.writeBytes(chunk);
        while (true) {
            if (expected < 0) {
                long len = 0;
                int i = 0;
                boolean complete = false;
                while (i < 5 && buffer.isReadable(i + 1)) {
                    int b = buffer.getUnsignedByte(buffer.readerIndex() + i);
                    len |= (long) (b & 0x7F) << (7 * i);
                    i++;
                    if ((b & 0x80) == 0) {
                        complete = true;
                        break;
                    }
                }
                if (!complete) {
                    if (i >= 5) {
                        throw new FrameException(what + ": length prefix longer than 5 bytes");
                    }
                    compact();
                    return;
                }
                if (len > maxMessage) {
                    throw new FrameException(
                            what
                                    + ": message of "
                                    + len
                                    + " bytes exceeds the limit of "
                                    + maxMessage);
                }
                buffer.skipBytes(i);
                expected = (int) len;
            }
            if (buffer.readableBytes() < expected) {
                compact();
                return;
            }
            byte[] msg = new byte[expected];
            buffer.readBytes(msg);
            expected = -1;
            sink.accept(msg);
        }
    }

    /** Bytes received but not yet part of a complete message. */
    public int buffered() {
        return buffer.readableBytes();
    }

    public void release() {
        if (buffer.refCnt() > 0) {
            buffer.release();
        }
    }

    private void compact() {
        buffer.discardReadBytes();
    }

    /** Prefixes {@code msg} with its varint length. */
    public static ByteBuf frame(byte[] msg) {
        ByteBuf b = Unpooled.buffer(msg.length + 5);
        int v = msg.length;
        while ((v & ~0x7F) != 0) {
            b.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b.writeByte(v);
        b.writeBytes(msg);
        return b;
    }
}
