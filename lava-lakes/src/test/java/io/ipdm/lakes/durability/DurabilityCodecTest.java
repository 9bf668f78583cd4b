package io.ipdm.lakes.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.durability.DurabilityMessage.Challenge;
import io.ipdm.lakes.durability.DurabilityMessage.Hello;
import io.ipdm.lakes.durability.DurabilityMessage.Holding;
import io.ipdm.lakes.durability.DurabilityMessage.Proof;
import io.ipdm.lakes.durability.DurabilityMessage.Records;
import io.ipdm.lakes.durability.DurabilityMessage.RecordsRequest;
import io.ipdm.lakes.durability.DurabilityMessage.RecordsSummary;
import io.ipdm.lakes.durability.DurabilityMessage.Replicate;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurabilityCodecTest {
    private final DurabilityCodec codec = new DurabilityCodec(4096, 8, 1024);
    private static final Cid A = Cid.sha256(Multicodec.RAW, "a".getBytes());
    private static final Cid B = Cid.sha256(Multicodec.DAG_CBOR, "b".getBytes());

    private static byte[] bytes(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void everyMessageRoundTrips() {
        List<DurabilityMessage> all =
                List.of(
                        new Hello("eu-west"),
                        new Hello(""),
                        new Replicate(7, List.of(A, B)),
                        new Holding(9, List.of(A), List.of(B)),
                        new Challenge(3, A, bytes(32, 5), List.of(A, B)),
                        new Proof(3, List.of(bytes(32, 1), new byte[0])),
                        new RecordsSummary(List.of(bytes(32, 2))),
                        new RecordsRequest(List.of(bytes(32, 3), bytes(32, 4))),
                        new Records(List.of(bytes(100, 6))));
        for (DurabilityMessage m : all) {
            assertThat(codec.decode(codec.encode(m))).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void limitsAreEnforcedBothWays() {
        List<Cid> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(Cid.sha256(Multicodec.RAW, new byte[] {(byte) i}));
        }
        assertThatThrownBy(() -> codec.encode(new Replicate(1, nine)))
                .hasMessage("replicate.roots: 9 entries exceed the limit of 8 (maxItems)");
        ProtoWriter body = new ProtoWriter().uint64(1, 1);
        nine.forEach(c -> body.bytes(2, c.toBytes()));
        byte[] frame = new ProtoWriter().message(2, body).toByteArray();
        assertThatThrownBy(() -> codec.decode(frame))
                .hasMessage("replicate.roots: more than 8 entries (maxItems); split the message");
        assertThatThrownBy(() -> codec.decode(new byte[5000]))
                .hasMessage(
                        "durability frame of 5000 bytes exceeds the limit of 4096 bytes"
                                + " (maxMessageBytes)");
        assertThatThrownBy(() -> codec.encode(new Records(List.of(bytes(4000, 1), bytes(500, 1)))))
                .hasMessageStartingWith("durability message of ")
                .hasMessageContaining("exceeds the frame limit of 4096 bytes");
        byte[] bigRecord =
                new ProtoWriter()
                        .message(8, new ProtoWriter().bytes(1, bytes(2000, 1)))
                        .toByteArray();
        assertThatThrownBy(() -> codec.decode(bigRecord))
                .hasMessage(
                        "records.records: entry 0 of 2000 bytes exceeds the limit of 1024 bytes"
                                + " (maxRecordBytes)");
    }

    @Test
    void malformedInputIsNamed() {
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .hasMessage("durability message: empty envelope");
        byte[] unknown = new ProtoWriter().message(12, new ProtoWriter()).toByteArray();
        assertThatThrownBy(() -> codec.decode(unknown))
                .hasMessage(
                        "durability message: unknown message type (envelope field 12); this peer"
                                + " speaks /ipdm/durability/1.0.0");
        byte[] shortNonce =
                new ProtoWriter()
                        .message(
                                4,
                                new ProtoWriter()
                                        .uint64(1, 1)
                                        .bytes(2, A.toBytes())
                                        .bytes(3, bytes(8, 1))
                                        .bytes(4, A.toBytes()))
                        .toByteArray();
        assertThatThrownBy(() -> codec.decode(shortNonce))
                .hasMessage("challenge: nonce must be 32 bytes, got 8");
        byte[] badProof =
                new ProtoWriter()
                        .message(5, new ProtoWriter().uint64(1, 1).bytes(2, bytes(5, 1)))
                        .toByteArray();
        assertThatThrownBy(() -> codec.decode(badProof))
                .hasMessage(
                        "proof: entry 0 is 5 bytes; a proof is 32 bytes, or empty for a block not"
                                + " held");
        byte[] notCid =
                new ProtoWriter()
                        .message(2, new ProtoWriter().bytes(2, new byte[] {1, 2, 3}))
                        .toByteArray();
        assertThatThrownBy(() -> codec.decode(notCid))
                .isInstanceOf(DurabilityException.class)
                .hasMessageStartingWith("replicate.roots: not a CID");
        byte[] truncated = Arrays.copyOf(codec.encode(new Replicate(1, List.of(A))), 10);
        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(DurabilityException.class)
                .hasMessageStartingWith("durability message: malformed");
        byte[] two =
                new ProtoWriter()
                        .message(1, new ProtoWriter())
                        .message(1, new ProtoWriter())
                        .toByteArray();
        assertThatThrownBy(() -> codec.decode(two))
                .hasMessage(
                        "durability message: more than one body in the envelope (field 1 after 1)");
    }
}
