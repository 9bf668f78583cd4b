package io.ipdm.lakes.car;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fixed part of a CARv2 file (<a href="https://ipld.io/specs/transport/car/carv2/">spec</a>):
 *
 * <pre>
 * 11-byte pragma  0a a1 67 "version" 02       (varint 10 + dag-cbor {version: 2})
 * 40-byte header  characteristics[16] dataOffset:u64le dataSize:u64le indexOffset:u64le
 * [padding] CARv1 payload at dataOffset, dataSize bytes  [padding] index at indexOffset (0: none)
 * </pre>
 */
public record CarV2Header(
        byte[] characteristics, long dataOffset, long dataSize, long indexOffset) {
    public static final byte[] PRAGMA = {
        0x0a, (byte) 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x02
    };
    public static final int LENGTH = 40;

    /** Where the payload starts when nothing is padded. */
    public static final long DEFAULT_DATA_OFFSET = PRAGMA.length + LENGTH;

    static CarV2Header decode(byte[] b, long fileSize) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] chars = new byte[16];
        buf.get(chars);
        long dataOffset = buf.getLong();
        long dataSize = buf.getLong();
        long indexOffset = buf.getLong();
        if (dataOffset < DEFAULT_DATA_OFFSET || (fileSize >= 0 && dataOffset > fileSize)) {
            throw new CarException(
                    "invalid CARv2 header: data offset "
                            + Long.toUnsignedString(dataOffset)
                            + " is outside the file");
        }
        if (dataSize < 0 || (fileSize >= 0 && dataSize > fileSize - dataOffset)) {
            throw new CarException(
                    "invalid CARv2 header: data size "
                            + Long.toUnsignedString(dataSize)
                            + " runs past the end of the file");
        }
        if (indexOffset != 0
                && (indexOffset < dataOffset + dataSize
                        || (fileSize >= 0 && indexOffset > fileSize))) {
            throw new CarException(
                    "invalid CARv2 header: index offset "
                            + Long.toUnsignedString(indexOffset)
                            + " is not after the data and inside the file");
        }
        return new CarV2Header(chars, dataOffset, dataSize, indexOffset);
    }

    byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(characteristics);
        buf.putLong(dataOffset).putLong(dataSize).putLong(indexOffset);
        return buf.array();
    }
}
