package io.ipdm.multiformats;

import java.util.Arrays;

/**
 * A content identifier (<a href="https://github.com/multiformats/cid">CID spec</a>). v0 is a bare
 * sha2-256 multihash of a dag-pb block, written in base58btc without a prefix ({@code Qm...}); v1
 * is {@code varint(1) varint(codec) multihash}, written in any multibase (base32 by default).
 * Immutable; compares by its binary form.
 */
public final class Cid implements Comparable<Cid> {
    private final int version;
    private final long codec;
    private final Multihash multihash;
    private final byte[] bytes;

    private Cid(int version, long codec, Multihash multihash) {
        this.version = version;
        this.codec = codec;
        this.multihash = multihash;
        if (version == 0) {
            this.bytes = multihash.toBytes();
        } else {
            byte[] mh = multihash.toBytes();
            byte[] out = new byte[1 + Varint.encodedLength(codec) + mh.length];
            int p = Varint.write(1, out, 0);
            p += Varint.write(codec, out, p);
            System.arraycopy(mh, 0, out, p, mh.length);
            this.bytes = out;
        }
    }

    public static Cid v1(long codec, Multihash multihash) {
        return new Cid(1, codec, multihash);
    }

    public static Cid v1(Multicodec codec, Multihash multihash) {
        return new Cid(1, codec.code(), multihash);
    }

    public static Cid v0(Multihash multihash) {
        if (multihash.code() != Multicodec.SHA2_256.code() || multihash.digest().length != 32) {
            throw new MultiformatException(
                    "CIDv0 needs a 32-byte sha2-256 multihash, got " + multihash);
        }
        return new Cid(0, Multicodec.DAG_PB.code(), multihash);
    }

    /** The CIDv1 of {@code data} under {@code codec}, hashed with sha2-256. */
    public static Cid sha256(Multicodec codec, byte[] data) {
        return v1(codec, Multihash.sha2_256(data));
    }

    public static Cid parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new MultiformatException("empty CID string");
        }
        try {
            if (text.length() == 46 && text.startsWith("Qm")) {
                return fromBytes(Multibase.BASE58_BTC.decodeBody(text));
            }
            Multibase base = Multibase.forPrefix(text);
            Cid cid =
                    fromBytes(base.decodeBody(text.substring(Character.charCount(base.prefix()))));
            if (cid.version == 0) {
                throw new MultiformatException("a CIDv0 cannot carry a multibase prefix");
            }
            return cid;
        } catch (MultiformatException e) {
            throw new MultiformatException("invalid CID '" + text + "': " + e.getMessage());
        }
    }

    public static Cid fromBytes(byte[] bytes) {
        int[] consumed = new int[1];
        Cid cid = read(bytes, 0, bytes.length, consumed);
        if (consumed[0] != bytes.length) {
            throw new MultiformatException(
                    "CID has " + (bytes.length - consumed[0]) + " trailing bytes");
        }
        return cid;
    }

    /** Reads one CID starting at {@code pos}; its length goes to {@code consumed[0]}. */
    public static Cid read(byte[] in, int pos, int limit, int[] consumed) {
        if (limit - pos >= 34 && in[pos] == 0x12 && in[pos + 1] == 0x20) {
            Multihash.Decoded mh = Multihash.decodePrefix(in, pos, limit);
            consumed[0] = mh.length();
            return new Cid(0, Multicodec.DAG_PB.code(), mh.multihash());
        }
        Varint.Decoded version = Varint.read(in, pos, limit);
        if (version.value() != 1) {
            throw new MultiformatException("unsupported CID version " + version.value());
        }
        int p = pos + version.length();
        Varint.Decoded codec = Varint.read(in, p, limit);
        p += codec.length();
        Multihash.Decoded mh = Multihash.decodePrefix(in, p, limit);
        p += mh.length();
        consumed[0] = p - pos;
        return new Cid(1, codec.value(), mh.multihash());
    }

    public int version() {
        return version;
    }

    public long codec() {
        return codec;
    }

    public Multihash multihash() {
        return multihash;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public int byteLength() {
        return bytes.length;
    }

    /** Writes the binary form into {@code out} at {@code offset}; returns the number of bytes. */
    public int writeTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, bytes.length);
        return bytes.length;
    }

    public Cid toV1() {
        return version == 1 ? this : new Cid(1, codec, multihash);
    }

    /** Whether {@code block} hashes to this CID's multihash. */
    public boolean verifies(byte[] block) {
        return Hashing.matches(multihash, block);
    }

    public String toString(Multibase base) {
        if (version == 0) {
            if (base != Multibase.BASE58_BTC) {
                throw new MultiformatException("a CIDv0 can only be written in base58btc");
            }
            return Multibase.BASE58_BTC.encode(bytes).substring(1);
        }
        return base.encode(bytes);
    }

    @Override
    public String toString() {
        return toString(version == 0 ? Multibase.BASE58_BTC : Multibase.BASE32);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid c && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Cid o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
