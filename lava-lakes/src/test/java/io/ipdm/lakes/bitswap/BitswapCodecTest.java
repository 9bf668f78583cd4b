package io.ipdm.lakes.bitswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.bitswap.BitswapMessage.Entry;
import io.ipdm.lakes.bitswap.BitswapMessage.Presence;
import io.ipdm.lakes.bitswap.BitswapMessage.PresenceType;
import io.ipdm.lakes.bitswap.BitswapMessage.WantType;
import io.ipdm.lakes.ipld.DagPb;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.Varint;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BitswapCodecTest {
    private static final BitswapLimits LIMITS = new BitswapLimits(64 << 10, 8, 8, 32 << 10, 8);
    private final BitswapCodec codec = new BitswapCodec(LIMITS);

    private static final Block RAW = Block.of(Multicodec.RAW, "hello bitswap".getBytes());
    private static final Block CBOR = Block.of(Multicodec.DAG_CBOR, new byte[] {(byte) 0xa0});
    private static final byte[] PB = DagPb.encode(new DagPb.Node(new byte[] {8, 1}, List.of()));
    private static final Block V0 = new Block(Cid.v0(Multihash.sha2_256(PB)), PB);

    /** The message without its length prefix. */
    static byte[] unframe(byte[] framed) {
        Varint.Decoded len = Varint.read(framed, 0, framed.length);
        assertThat(len.value()).isEqualTo(framed.length - len.length());
        return Arrays.copyOfRange(framed, len.length(), framed.length);
    }

    private BitswapMessage roundTrip(BitswapMessage m, BitswapVersion v) {
        return codec.decode(unframe(codec.encodeFramed(m, v)), "peer");
    }

    private static BitswapMessage everything() {
        return new BitswapMessage(
                List.of(
                        new Entry(RAW.cid(), 7, false, WantType.HAVE, true),
                        new Entry(CBOR.cid(), 1, false, WantType.BLOCK, false),
                        Entry.cancel(V0.cid())),
                true,
                List.of(RAW, CBOR, V0),
                List.of(
                        new Presence(RAW.cid(), PresenceType.HAVE),
                        new Presence(V0.cid(), PresenceType.DONT_HAVE)),
                12345);
    }

    @Test
    void version120CarriesEveryField() {
        BitswapMessage m = everything();
        assertThat(roundTrip(m, BitswapVersion.V120)).usingRecursiveComparison().isEqualTo(m);
        assertThat(roundTrip(BitswapMessage.EMPTY, BitswapVersion.V120))
                .isEqualTo(BitswapMessage.EMPTY);
    }

    @Test
    void version110SendsPlainWantsAndNoPresences() {
        BitswapMessage got = roundTrip(everything(), BitswapVersion.V110);
        assertThat(got.entries())
                .containsExactly(
                        new Entry(RAW.cid(), 7, false, WantType.BLOCK, false),
                        new Entry(CBOR.cid(), 1, false, WantType.BLOCK, false),
                        Entry.cancel(V0.cid()));
        assertThat(got.blocks()).usingRecursiveComparison().isEqualTo(everything().blocks());
        assertThat(got.presences()).isEmpty();
        assertThat(got.pendingBytes()).isZero();
    }

    @Test
    void version100SendsBareBlocksWhoseCidIsV0() {
        BitswapMessage got = roundTrip(everything(), BitswapVersion.V100);
        assertThat(got.blocks()).extracting(Block::cid).contains(V0.cid());
        // bare bytes carry no codec: every block reads as a CIDv0 of its sha2-256
        assertThat(got.blocks())
                .extracting(Block::cid)
                .containsExactly(
                        Cid.v0(Multihash.sha2_256(RAW.data())),
                        Cid.v0(Multihash.sha2_256(CBOR.data())),
                        V0.cid());
    }

    @Test
    void wrongBytesDecodeToAnotherCid() {
        byte[] prefix = BitswapCodec.prefixOf(RAW.cid());
        byte[] msg =
                new ProtoWriter()
                        .message(
                                3, new ProtoWriter().bytes(1, prefix).bytes(2, "forged".getBytes()))
                        .toByteArray();
        Block b = codec.decode(msg, "peer").blocks().get(0);
        assertThat(b.cid()).isNotEqualTo(RAW.cid());
        assertThat(b.cid()).isEqualTo(Cid.sha256(Multicodec.RAW, "forged".getBytes()));
        assertThat(b.cid().verifies(b.data())).isTrue();
    }

    @Test
    void limitsAndMalformedInputFailNamingThePeerAndTheLimit() {
        assertThatThrownBy(() -> codec.decode(new byte[(64 << 10) + 1], "12D3KooWpeer"))
                .isInstanceOf(BitswapException.class)
                .hasMessage(
                        "Bitswap message of 65537 bytes from 12D3KooWpeer exceeds the limit of"
                                + " 65536");
        ProtoWriter wl = new ProtoWriter();
        for (int i = 0; i < 9; i++) {
            wl.message(
                    1,
                    new ProtoWriter()
                            .bytes(1, Cid.sha256(Multicodec.RAW, new byte[] {(byte) i}).toBytes()));
        }
        byte[] flood = new ProtoWriter().message(1, wl).toByteArray();
        assertThatThrownBy(() -> codec.decode(flood, "p"))
                .hasMessage(
                        "Bitswap message from p: wantlist of more than 8 entries in one message (the"
                                + " limit)");
        byte[] big = new byte[(32 << 10) + 1];
        byte[] bigBlock =
                new ProtoWriter()
                        .message(
                                3,
                                new ProtoWriter()
                                        .bytes(1, BitswapCodec.prefixOf(RAW.cid()))
                                        .bytes(2, big))
                        .toByteArray();
        assertThatThrownBy(() -> codec.decode(bigBlock, "p"))
                .hasMessage(
                        "Bitswap message from p: block of 32769 bytes exceeds the limit of 32768");
        byte[] truncated = Arrays.copyOf(codec.encodeFramed(everything(), BitswapVersion.V120), 40);
        assertThatThrownBy(() -> codec.decode(unframeLenient(truncated), "p"))
                .isInstanceOf(BitswapException.class)
                .hasMessageStartingWith("malformed Bitswap message from p: ");
        // murmur3-128 (0x22): a hash this node cannot recompute, so the block cannot be checked
        byte[] prefix = {1, 0x55, 0x22, 16};
        byte[] unverifiable =
                new ProtoWriter()
                        .message(3, new ProtoWriter().bytes(1, prefix).bytes(2, new byte[] {1}))
                        .toByteArray();
        assertThatThrownBy(() -> codec.decode(unverifiable, "p"))
                .hasMessage(
                        "Bitswap message from p: block hashed with 0x22, which this node cannot"
                                + " verify");
        byte[] badPresence =
                new ProtoWriter()
                        .message(4, new ProtoWriter().bytes(1, RAW.cid().toBytes()).uint64(2, 7))
                        .toByteArray();
        assertThatThrownBy(() -> codec.decode(badPresence, "p"))
                .hasMessage("Bitswap message from p: unknown block presence type 7");
    }

    private static byte[] unframeLenient(byte[] framed) {
        Varint.Decoded len = Varint.read(framed, 0, framed.length);
        return Arrays.copyOfRange(framed, len.length(), framed.length);
    }

    @Test
    void theEncoderRefusesMessagesOverTheLimit() {
        Block big = Block.of(Multicodec.RAW, new byte[40 << 10]);
        BitswapMessage m = new BitswapMessage(List.of(), false, List.of(big, big), List.of(), 0);
        assertThatThrownBy(() -> codec.encodeFramed(m, BitswapVersion.V120))
                .isInstanceOf(BitswapException.class)
                .hasMessageStartingWith("refusing to send a Bitswap message of ");
    }
}
