package io.ipdm.mesh.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramingTest {
    @Test
    void lengthPrefixedReaderReassemblesAcrossChunks() {
        LengthPrefixedReader r = new LengthPrefixedReader(1000, "test");
        List<byte[]> got = new ArrayList<>();
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(LengthPrefixedReader.frame(new byte[300]));
        all.writeBytes(LengthPrefixedReader.frame(new byte[] {1, 2, 3}));
        while (all.isReadable()) {
            r.feed(all.readSlice(Math.min(7, all.readableBytes())), got::add);
        }
        assertThat(got).hasSize(2);
        assertThat(got.get(1)).containsExactly(1, 2, 3);
        assertThat(r.buffered()).isZero();
    }

    @Test
    void oversizedAndOverlongPrefixesFailBeforeAllocation() {
        LengthPrefixedReader r = new LengthPrefixedReader(1000, "gossipsub RPC");
        assertThatThrownBy(
                        () ->
                                r.feed(
                                        Unpooled.wrappedBuffer(new byte[] {(byte) 0xe9, 0x07}),
                                        m -> {}))
                .hasMessage("gossipsub RPC: message of 1001 bytes exceeds the limit of 1000");
        LengthPrefixedReader r2 = new LengthPrefixedReader(1000, "x");
        byte[] ff = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1};
        assertThatThrownBy(() -> r2.feed(Unpooled.wrappedBuffer(ff), m -> {}))
                .hasMessage("x: length prefix longer than 5 bytes");
    }
}
