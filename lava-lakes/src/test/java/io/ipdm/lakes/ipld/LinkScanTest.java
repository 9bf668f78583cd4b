package io.ipdm.lakes.ipld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkScanTest {
    private static final Cid A = Cid.sha256(Multicodec.RAW, new byte[] {1});
    private static final Cid B = Cid.sha256(Multicodec.DAG_CBOR, new byte[] {2});

    @Test
    void findsTheSameLinksAsTheStrictDecoderOnEveryFixture() throws Exception {
        Path car = SharedData.dir("ipld/codec-fixtures/fixtures.car");
        int cbor = 0;
        try (InputStream in = Files.newInputStream(car);
                CarReader r = CarReader.open(in)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                Block b = s.block();
                if (b.cid().codec() == Multicodec.DAG_CBOR.code()) {
                    assertThat(DagCbor.scanLinks(b.data()))
                            .as(b.cid().toString())
                            .isEqualTo(DagCbor.links(DagCbor.decode(b.data())));
                    cbor++;
                }
            }
        }
        assertThat(cbor).isEqualTo(128);
    }

    @Test
    void followsLinksPastTextThatIsNotUtf8() {
        byte[] ok = DagCbor.encode(Map.of("a", "xy", "l", List.of(A, Map.of("b", B))));
        // turn "xy" into two bytes that are not UTF-8, as Lotus writes them
        byte[] bad = ok.clone();
        int at = indexOf(bad, new byte[] {0x62, 'x', 'y'});
        bad[at + 1] = (byte) 0xFF;
        bad[at + 2] = (byte) 0xC3;
        assertThatThrownBy(() -> DagCbor.decode(bad))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("is not valid UTF-8");
        assertThat(DagCbor.scanLinks(bad)).containsExactly(A, B);
        assertThat(Links.of(new Block(Cid.sha256(Multicodec.DAG_CBOR, bad), bad)))
                .containsExactly(A, B);
    }

    @Test
    void dagJsonLinksAreFollowed() {
        byte[] json =
                ("{\"a\":{\"/\":\"" + A + "\"},\"b\":[{\"/\":\"" + B + "\"}]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Block b = new Block(Cid.sha256(Multicodec.DAG_JSON, json), json);
        assertThat(Links.canLink(b.cid())).isTrue();
        assertThat(Links.of(b)).containsExactly(A, B);
    }

    @Test
    void malformedCborIsReportedWithItsOffset() {
        assertThatThrownBy(() -> DagCbor.scanLinks(new byte[] {(byte) 0x82, 0x01}))
                .hasMessage("dag-cbor: length 2 at offset 0 exceeds the remaining 1 bytes");
        assertThatThrownBy(() -> DagCbor.scanLinks(new byte[] {(byte) 0x19, 0x01}))
                .hasMessage("dag-cbor: unexpected end of data at offset 2");
        assertThatThrownBy(() -> DagCbor.scanLinks(new byte[] {(byte) 0x5A, 0, 0, 0, 9, 1}))
                .hasMessage("dag-cbor: length 9 at offset 0 exceeds the remaining 1 bytes");
        assertThatThrownBy(() -> DagCbor.scanLinks(new byte[] {(byte) 0x81, (byte) 0xC1, 0x00}))
                .hasMessage("dag-cbor: tag 1 at offset 1 is not allowed (only 42)");
        assertThatThrownBy(() -> DagCbor.scanLinks(new byte[] {(byte) 0x9F, (byte) 0xFF}))
                .hasMessage("dag-cbor: indefinite-length item at offset 0");
        assertThatThrownBy(() -> DagCbor.scanLinks(new byte[] {0x01, 0x02}))
                .hasMessage("dag-cbor: 1 trailing bytes after the value");
        assertThatThrownBy(
                        () ->
                                DagCbor.scanLinks(
                                        new byte[] {(byte) 0xD8, 42, 0x43, 0x01, 0x02, 0x03}))
                .hasMessage(
                        "dag-cbor: tag 42 at offset 0 must start with the 0x00 multibase prefix");
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        for (int i = 0; i < 600; i++) {
            deep.write(0x81);
        }
        deep.write(0x01);
        assertThatThrownBy(() -> DagCbor.scanLinks(deep.toByteArray()))
                .hasMessage("dag-cbor: nesting deeper than 512 at offset 513");
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
