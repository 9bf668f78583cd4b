package io.ipdm.lakes.bitswap;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.bitswap.BitswapMessage.Entry;
import io.ipdm.lakes.bitswap.BitswapMessage.Presence;
import io.ipdm.lakes.bitswap.BitswapMessage.PresenceType;
import io.ipdm.lakes.bitswap.BitswapMessage.WantType;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Hashing;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.Varint;
import io.ipdm.multiformats.protobuf.ProtoReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes Bitswap messages (protobuf, <a
 * href="https://specs.ipfs.tech/bitswap-protocol/#message-format">spec</a>) within {@link
 * BitswapLimits} fixed at construction.
 *
 * <pre>
 * Message {
 *   1: Wantlist { 1: repeated Entry { 1: cid bytes  2: priority int32  3: cancel bool
 *                                     4: wantType (0 Block, 1 Have)  5: sendDontHave bool }
 *                 2: full bool }
 *   2: repeated bytes blocks                        (1.0.0: bare bytes, CIDv0 implied)
 *   3: repeated Block { 1: prefix  2: data }        (1.1.0+)
 *   4: repeated BlockPresence { 1: cid  2: type (0 Have, 1 DontHave) }   (1.2.0)
 *   5: pendingBytes int32
 * }
 * prefix = varint(cid version) varint(codec) varint(multihash code) varint(digest length)
 * </pre>
 *
 * <p>A received block's CID is derived from its prefix and the hash of its bytes, so a block that
 * leaves the decoder always verifies against its CID; wrong bytes show up as a CID nobody asked
 * for. A hash function Lava Lakes cannot compute is refused (the block could not be checked).
 *
 * <p>The encoder writes the framed message ({@code varint(length) message}) into one array, sized
 * up front: nested {@code ProtoWriter}s would copy each block three more times.
 */
public final class BitswapCodec {
    private final BitswapLimits limits;

    public BitswapCodec(BitswapLimits limits) {
        this.limits = limits;
    }

    public BitswapLimits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- decode

    /** Decodes one message (without its length prefix) from {@code peer} (named in errors). */
    public BitswapMessage decode(byte[] msg, Object peer) {
        if (msg.length > limits.maxMessageBytes()) {
            throw new BitswapException(
                    "Bitswap message of "
                            + msg.length
                            + " bytes from "
                            + peer
                            + " exceeds the limit of "
                            + limits.maxMessageBytes());
        }
        try {
            return decodeChecked(msg);
        } catch (BitswapException e) {
            throw new BitswapException("Bitswap message from " + peer + ": " + e.getMessage());
        } catch (LakesException | MultiformatException e) {
            throw new BitswapException(
                    "malformed Bitswap message from " + peer + ": " + e.getMessage(), e);
        }
    }

    private BitswapMessage decodeChecked(byte[] msg) {
        List<Entry> entries = new ArrayList<>();
        boolean full = false;
        List<Block> blocks = new ArrayList<>();
        List<Presence> presences = new ArrayList<>();
        int pending = 0;
        ProtoReader r = new ProtoReader(msg, "bitswap Message");
        while (r.next()) {
            switch (r.field()) {
                case 1 -> full |= decodeWantlist(r.bytes(), entries);
                case 2 -> blocks.add(rawBlock(r.bytes()));
                case 3 -> blocks.add(payloadBlock(r.bytes()));
                case 4 -> {
                    if (presences.size() >= limits.maxPresences()) {
                        throw new BitswapException(
                                "more than " + limits.maxPresences() + " block presences");
                    }
                    presences.add(decodePresence(r.bytes()));
                }
                case 5 -> pending = (int) r.uint64();
                default -> r.skip();
            }
        }
        return new BitswapMessage(entries, full, blocks, presences, pending);
    }

    private boolean decodeWantlist(byte[] b, List<Entry> into) {
        ProtoReader r = new ProtoReader(b, "bitswap Wantlist");
        boolean full = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> {
                    if (into.size() >= limits.maxMessageEntries()) {
                        throw new BitswapException(
                                "wantlist of more than "
                                        + limits.maxMessageEntries()
                                        + " entries in one message (the limit)");
                    }
                    into.add(decodeEntry(r.bytes()));
                }
                case 2 -> full = r.bool();
                default -> r.skip();
            }
        }
        return full;
    }

    private static Entry decodeEntry(byte[] b) {
        ProtoReader r = new ProtoReader(b, "bitswap Wantlist.Entry");
        Cid cid = null;
        int priority = 0;
        boolean cancel = false;
        WantType type = WantType.BLOCK;
        boolean dontHave = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> cid = Cid.fromBytes(r.bytes());
                case 2 -> priority = (int) r.uint64();
                case 3 -> cancel = r.bool();
                case 4 -> {
                    long t = r.uint64();
                    if (t > 1) {
                        throw new BitswapException("unknown want type " + t);
                    }
                    type = t == 0 ? WantType.BLOCK : WantType.HAVE;
                }
                case 5 -> dontHave = r.bool();
                default -> r.skip();
            }
        }
        if (cid == null) {
            throw new BitswapException("wantlist entry without a CID");
        }
        return new Entry(cid, priority, cancel, type, dontHave);
    }

    private static Presence decodePresence(byte[] b) {
        ProtoReader r = new ProtoReader(b, "bitswap BlockPresence");
        Cid cid = null;
        PresenceType type = PresenceType.HAVE;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> cid = Cid.fromBytes(r.bytes());
                case 2 -> {
                    long t = r.uint64();
                    if (t > 1) {
                        throw new BitswapException("unknown block presence type " + t);
                    }
                    type = t == 0 ? PresenceType.HAVE : PresenceType.DONT_HAVE;
                }
                default -> r.skip();
            }
        }
        if (cid == null) {
            throw new BitswapException("block presence without a CID");
        }
        return new Presence(cid, type);
    }

    private Block rawBlock(byte[] data) {
        checkBlockSize(data.length);
        return new Block(Cid.v0(Multihash.sha2_256(data)), data);
    }

    private Block payloadBlock(byte[] b) {
        ProtoReader r = new ProtoReader(b, "bitswap Block");
        byte[] prefix = null;
        byte[] data = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> prefix = r.bytes();
                case 2 -> data = r.bytes();
                default -> r.skip();
            }
        }
        if (prefix == null || data == null) {
            throw new BitswapException("block without " + (prefix == null ? "prefix" : "data"));
        }
        checkBlockSize(data.length);
        return new Block(cidOf(prefix, data), data);
    }

    private void checkBlockSize(int n) {
        if (n > limits.maxBlockBytes()) {
            throw new BitswapException(
                    "block of " + n + " bytes exceeds the limit of " + limits.maxBlockBytes());
        }
    }

    /** The CID of {@code data} under {@code prefix}: the bytes are hashed here. */
    static Cid cidOf(byte[] prefix, byte[] data) {
        long[] v = new long[4];
        int p = 0;
        for (int i = 0; i < 4; i++) {
            Varint.Decoded d = Varint.read(prefix, p, prefix.length);
            v[i] = d.value();
            p += d.length();
        }
        if (p != prefix.length) {
            throw new BitswapException("CID prefix has " + (prefix.length - p) + " trailing bytes");
        }
        long version = v[0];
        long mhCode = v[2];
        long mhLength = v[3];
        Multicodec hash = mhCode > Integer.MAX_VALUE ? null : Hashing.verifiable(mhCode);
        if (hash == null) {
            throw new BitswapException(
                    "block hashed with "
                            + Multicodec.nameOf(mhCode)
                            + ", which this node cannot verify");
        }
        byte[] digest = Hashing.digest(hash, data);
        if (hash == Multicodec.IDENTITY ? mhLength != data.length : mhLength > digest.length) {
            throw new BitswapException(
                    "CID prefix digest length "
                            + mhLength
                            + " does not fit a "
                            + hash.codecName()
                            + " digest of "
                            + digest.length
                            + " bytes");
        }
        Multihash mh = new Multihash((int) mhCode, Arrays.copyOf(digest, (int) mhLength));
        if (version == 0) {
            if (v[1] != Multicodec.DAG_PB.code()) {
                throw new BitswapException("CIDv0 prefix with codec " + v[1] + " (not dag-pb)");
            }
            return Cid.v0(mh);
        }
        if (version != 1) {
            throw new BitswapException("CID prefix with version " + version);
        }
        return Cid.v1(v[1], mh);
    }

    /** The prefix of {@code cid}: everything but the digest. */
    static byte[] prefixOf(Cid cid) {
        Multihash mh = cid.multihash();
        byte[] out = new byte[4 * 10];
        int p = Varint.write(cid.version(), out, 0);
        p += Varint.write(cid.codec(), out, p);
        p += Varint.write(mh.code(), out, p);
        p += Varint.write(mh.digest().length, out, p);
        return Arrays.copyOf(out, p);
    }

    // ---------------------------------------------------------------- encode

    /**
     * {@code varint(length) message} for a peer speaking {@code version}: wants become plain wants
     * and presences are left out below 1.2.0, blocks go bare in 1.0.0.
     */
    public byte[] encodeFramed(BitswapMessage m, BitswapVersion version) {
        byte[][] entries = new byte[m.entries().size()][];
        int wantlistLen = 0;
        for (int i = 0; i < entries.length; i++) {
            entries[i] = entry(m.entries().get(i), version);
            wantlistLen += field(entries[i].length);
        }
        if (m.full()) {
            wantlistLen += 2;
        }
        int total = 0;
        if (wantlistLen > 0) {
            total += field(wantlistLen);
        }
        byte[][] prefixes = new byte[m.blocks().size()][];
        for (int i = 0; i < prefixes.length; i++) {
            Block b = m.blocks().get(i);
            if (version == BitswapVersion.V100) {
                total += field(b.data().length);
            } else {
                prefixes[i] = prefixOf(b.cid());
                total += field(blockLen(prefixes[i], b.data()));
            }
        }
        byte[][] presences = new byte[0][];
        if (version.hasPresences()) {
            presences = new byte[m.presences().size()][];
            for (int i = 0; i < presences.length; i++) {
                Presence pr = m.presences().get(i);
                byte[] cid = pr.cid().toBytes();
                int len = field(cid.length) + (pr.type() == PresenceType.DONT_HAVE ? 2 : 0);
                byte[] enc = new byte[len];
                int p = bytesField(enc, 0, 1, cid);
                if (pr.type() == PresenceType.DONT_HAVE) {
                    enc[p++] = 2 << 3;
                    enc[p] = 1;
                }
                presences[i] = enc;
                total += field(len);
            }
            if (m.pendingBytes() != 0) {
                total += 1 + Varint.encodedLength(m.pendingBytes() & 0xFFFFFFFFL);
            }
        }
        if (total > limits.maxMessageBytes()) {
            throw new BitswapException(
                    "refusing to send a Bitswap message of "
                            + total
                            + " bytes (limit "
                            + limits.maxMessageBytes()
                            + ")");
        }
        byte[] out = new byte[Varint.encodedLength(total) + total];
        int p = Varint.write(total, out, 0);
        if (wantlistLen > 0) {
            p = header(out, p, 1, wantlistLen);
            for (byte[] e : entries) {
                p = bytesField(out, p, 1, e);
            }
            if (m.full()) {
                out[p++] = 2 << 3;
                out[p++] = 1;
            }
        }
        for (int i = 0; i < prefixes.length; i++) {
            byte[] data = m.blocks().get(i).data();
            if (version == BitswapVersion.V100) {
                p = bytesField(out, p, 2, data);
            } else {
                p = header(out, p, 3, blockLen(prefixes[i], data));
                p = bytesField(out, p, 1, prefixes[i]);
                p = bytesField(out, p, 2, data);
            }
        }
        for (byte[] pr : presences) {
            p = bytesField(out, p, 4, pr);
        }
        if (version.hasPresences() && m.pendingBytes() != 0) {
            out[p++] = 5 << 3;
            p += Varint.write(m.pendingBytes() & 0xFFFFFFFFL, out, p);
        }
        if (p != out.length) {
            throw new IllegalStateException("bitswap encoder wrote " + p + " of " + out.length);
        }
        return out;
    }

    private static byte[] entry(Entry e, BitswapVersion version) {
        byte[] cid = e.cid().toBytes();
        // this node never asks with negative priorities (int32 would sign-extend to 10 bytes)
        long priority = Math.max(0, e.priority());
        boolean v12 = version.hasPresences();
        int len = field(cid.length);
        if (priority != 0) {
            len += 1 + Varint.encodedLength(priority);
        }
        if (e.cancel()) {
            len += 2;
        }
        boolean have = v12 && e.wantType() == WantType.HAVE;
        if (have) {
            len += 2;
        }
        boolean dontHave = v12 && e.sendDontHave();
        if (dontHave) {
            len += 2;
        }
        byte[] out = new byte[len];
        int p = bytesField(out, 0, 1, cid);
        if (priority != 0) {
            out[p++] = 2 << 3;
            p += Varint.write(priority, out, p);
        }
        if (e.cancel()) {
            out[p++] = 3 << 3;
            out[p++] = 1;
        }
        if (have) {
            out[p++] = 4 << 3;
            out[p++] = 1;
        }
        if (dontHave) {
            out[p++] = 5 << 3;
            out[p] = 1;
        }
        return out;
    }

    private static int blockLen(byte[] prefix, byte[] data) {
        return field(prefix.length) + field(data.length);
    }

    /** Size of a length-delimited field with a one-byte tag. */
    private static int field(int len) {
        return 1 + Varint.encodedLength(len) + len;
    }

    private static int header(byte[] out, int p, int field, int len) {
        out[p++] = (byte) (field << 3 | 2);
        return p + Varint.write(len, out, p);
    }

    private static int bytesField(byte[] out, int p, int field, byte[] v) {
        p = header(out, p, field, v.length);
        System.arraycopy(v, 0, out, p, v.length);
        return p + v.length;
    }
}
