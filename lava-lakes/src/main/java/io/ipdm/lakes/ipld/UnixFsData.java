package io.ipdm.lakes.ipld;

import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtobufException;

/**
 * The UnixFS {@code Data} message a dag-pb node carries (<a
 * href="https://specs.ipfs.tech/unixfs/">UnixFS spec</a>), the fields path resolution needs:
 *
 * <pre>
 * message Data { DataType Type = 1; bytes Data = 2; uint64 filesize = 3; repeated uint64 blocksizes = 4;
 *                uint64 hashType = 5; uint64 fanout = 6; uint32 mode = 7; UnixTime mtime = 8; }
 * enum DataType { Raw = 0; Directory = 1; File = 2; Metadata = 3; Symlink = 4; HAMTShard = 5; }
 * </pre>
 *
 * @param type the node's kind
 * @param hashType for a HAMT shard, the multihash code hashing entry names (0x22: murmur3-x64-64)
 * @param fanout for a HAMT shard, the buckets per node (a power of two)
 */
public record UnixFsData(Type type, long hashType, long fanout) {
    /** UnixFS node kinds, by their {@code DataType} number. */
    public enum Type {
        RAW,
        DIRECTORY,
        FILE,
        METADATA,
        SYMLINK,
        HAMT_SHARD
    }

    /** The {@code Data} of a directory: {@code {Type: Directory}}. */
    public static final byte[] DIRECTORY = {0x08, 0x01};

    /**
     * Decodes a dag-pb node's Data as UnixFS.
     *
     * @throws CodecException when it is not a UnixFS {@code Data} message
     */
    public static UnixFsData decode(byte[] data) {
        if (data == null) {
            throw new CodecException("dag-pb node without UnixFS Data");
        }
        Long type = null;
        long hashType = 0;
        long fanout = 0;
        try {
            ProtoReader r = new ProtoReader(data, "UnixFS Data");
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> type = r.uint64();
                    case 5 -> hashType = r.uint64();
                    case 6 -> fanout = r.uint64();
                    default -> r.skip();
                }
            }
        } catch (ProtobufException e) {
            throw new CodecException("UnixFS Data: " + e.getMessage());
        }
        if (type == null || type < 0 || type >= Type.values().length) {
            throw new CodecException("UnixFS Data Type " + type + " is not one of 0-5");
        }
        return new UnixFsData(Type.values()[type.intValue()], hashType, fanout);
    }
}
