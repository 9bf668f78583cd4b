package io.ipdm.multiformats.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.multiformats.MultiformatException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoReaderTest {
    @Test
    void readsWhatTheWriterWrites() {
        byte[] msg =
                new ProtoWriter()
                        .uint64(1, 300)
                        .string(2, "héllo")
                        .message(3, new ProtoWriter().bool(1, true).bytes(2, new byte[] {7}))
                        .uint64(4, -1L)
                        .toByteArray();
        ProtoReader r = new ProtoReader(msg, "Test");
        assertThat(r.next()).isTrue();
        assertThat(r.uint64()).isEqualTo(300);
        assertThat(r.next()).isTrue();
        assertThat(r.string()).isEqualTo("héllo");
        assertThat(r.next()).isTrue();
        ProtoReader inner = r.nested("Inner");
        assertThat(inner.next()).isTrue();
        assertThat(inner.bool()).isTrue();
        assertThat(inner.next()).isTrue();
        assertThat(inner.bytes()).containsExactly(7);
        assertThat(inner.next()).isFalse();
        assertThat(r.next()).isTrue();
        assertThat(r.uint64()).isEqualTo(-1L); // int64 -1: a 10-byte varint
        assertThat(r.next()).isFalse();
    }

    @Test
    void skipStepsOverEveryWireTypeToTheNextField() {
        byte[] long200 = new byte[200]; // a two-byte length varint
        byte[] msg =
                new ProtoWriter()
                        .bytes(1, long200)
                        .string(2, "skipped")
                        .uint64(3, 1L << 40)
                        .message(4, new ProtoWriter().uint64(1, 1))
                        .uint64(5, 42)
                        .toByteArray();
        ProtoReader r = new ProtoReader(msg, "Test");
        for (int field = 1; field <= 4; field++) {
            assertThat(r.next()).isTrue();
            assertThat(r.field()).isEqualTo(field);
            r.skip();
        }
        assertThat(r.next()).isTrue();
        assertThat(r.field()).isEqualTo(5);
        assertThat(r.uint64()).isEqualTo(42);
        assertThat(r.next()).isFalse();
        ProtoReader lying = new ProtoReader(HexFormat.of().parseHex("0a0501"), "Test");
        lying.next();
        assertThatThrownBy(lying::skip)
                .isInstanceOf(ProtobufException.class)
                .hasMessage("Test: field 1 length 5 exceeds the 1 remaining bytes");
    }

    @Test
    void readsRepeatedUint64PackedAndUnpacked() {
        // field 1 packed [1, 150, 3]; then field 1 unpacked 5
        byte[] msg = HexFormat.of().parseHex("0a0401960103" + "0805");
        ProtoReader r = new ProtoReader(msg, "Test");
        List<Long> values = new ArrayList<>();
        while (r.next()) {
            r.uint64s(values::add);
        }
        assertThat(values).containsExactly(1L, 150L, 3L, 5L);
        ProtoReader bad = new ProtoReader(HexFormat.of().parseHex("0a0201ff"), "Test");
        bad.next();
        assertThatThrownBy(() -> bad.uint64s(v -> {}))
                .isInstanceOf(ProtobufException.class)
                .hasMessage("Test: truncated varint");
    }

    @Test
    void rejectsLyingLengthsAndWrongWireTypes() {
        ProtoReader r = new ProtoReader(HexFormat.of().parseHex("0a0501"), "Test");
        r.next();
        assertThatThrownBy(r::bytes)
                .isInstanceOf(MultiformatException.class)
                .hasMessage("Test: field 1 length 5 exceeds the 1 remaining bytes");
        ProtoReader negative =
                new ProtoReader(HexFormat.of().parseHex("0affffffffffffffffff01"), "Test");
        negative.next();
        assertThatThrownBy(negative::bytes)
                .hasMessage("Test: field 1 length -1 exceeds the 0 remaining bytes");
        ProtoReader wrongType = new ProtoReader(HexFormat.of().parseHex("0801"), "Test");
        wrongType.next();
        assertThatThrownBy(wrongType::bytes)
                .hasMessage("Test: field 1 has wire type 0, expected 2");
        assertThatThrownBy(() -> new ProtoReader(new byte[] {0}, "Test").next())
                .hasMessage("Test: field number 0 is invalid");
    }
}
