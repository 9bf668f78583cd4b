package io.ipdm.mesh.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Yamux frame header (yamux spec, "Framing"), 12 bytes, big-endian:
 *
 * <pre>
 *  0        1        2                 4                                8                               12
 * +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
 * |version |  type  |      flags      |            stream id              |              length               |
 * +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
 * </pre>
 *
 * Data frames are followed by {@code length} payload bytes; for window updates length is the window
 * delta, for pings an opaque value, for go-away the error code.
 */
public final class YamuxFrame {
    public static final int HEADER_LENGTH = 12;
    public static final int VERSION = 0;

    public static final int TYPE_DATA = 0;
    public static final int TYPE_WINDOW_UPDATE = 1;
    public static final int TYPE_PING = 2;
    public static final int TYPE_GO_AWAY = 3;

    public static final int FLAG_SYN = 1;
    public static final int FLAG_ACK = 2;
    public static final int FLAG_FIN = 4;
    public static final int FLAG_RST = 8;

    public static final int GO_AWAY_NORMAL = 0;
    public static final int GO_AWAY_PROTOCOL_ERROR = 1;
    public static final int GO_AWAY_INTERNAL_ERROR = 2;

    private YamuxFrame() {}

    static ByteBuf header(
            ByteBufAllocator alloc, int type, int flags, int streamId, long length, int extra) {
        ByteBuf b = alloc.buffer(HEADER_LENGTH + extra);
        b.writeByte(VERSION);
        b.writeByte(type);
        b.writeShort(flags);
        b.writeInt(streamId);
        b.writeInt((int) length);
        return b;
    }
}
