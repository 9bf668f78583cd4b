package io.ipdm.lakes.ipld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multibase;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** ipld/codec-fixtures: every file is named by the CID of its bytes. */
class CodecFixturesTest {

    private static List<Path> fixtureFiles() throws IOException {
        Path dir = SharedData.dir("ipld/codec-fixtures/fixtures");
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String cidOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.indexOf('.'));
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureDecodesReencodesAndHashesToItsName() throws IOException {
        List<Path> files = fixtureFiles();
        assertThat(files).hasSize(273);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            tests.add(
                    DynamicTest.dynamicTest(
                            f.getParent().getFileName() + "/" + f.getFileName(), () -> check(f)));
        }
        return tests.stream();
    }

    private static void check(Path f) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        Cid expected = Cid.parse(cidOf(f));
        assertThat(expected.multihash()).isEqualTo(Multihash.sha2_256(bytes));
        String ext = f.getFileName().toString().substring(cidOf(f).length() + 1);
        Path cborSibling = sibling(f, ".dag-cbor");
        Object model;
        switch (ext) {
            case "dag-cbor" -> {
                assertThat(expected.codec()).isEqualTo(Multicodec.DAG_CBOR.code());
                model = DagCbor.decode(bytes);
                assertThat(DagCbor.encode(model)).isEqualTo(bytes);
            }
            case "dag-pb" -> {
                assertThat(expected.codec()).isEqualTo(Multicodec.DAG_PB.code());
                DagPb.Node node = DagPb.decode(bytes);
                assertThat(DagPb.encode(node)).isEqualTo(bytes);
                model = DagPb.toForm(node);
                assertThat(DagPb.encode(DagPb.fromForm(model))).isEqualTo(bytes);
            }
            case "dag-json" -> {
                assertThat(expected.codec()).isEqualTo(Multicodec.DAG_JSON.code());
                model = DagJson.decode(new String(bytes, StandardCharsets.UTF_8));
                Path pb = sibling(f, ".dag-pb");
                if (pb != null) {
                    // the dag-json form of a dag-pb node must encode back to the dag-pb bytes
                    assertThat(DagPb.encode(DagPb.fromForm(model)))
                            .isEqualTo(Files.readAllBytes(pb));
                }
            }
            default -> throw new AssertionError("unexpected fixture extension " + ext);
        }
        if (cborSibling != null) {
            // cross-codec rule: every form re-encoded as dag-cbor gets the dag-cbor sibling's CID
            assertThat(Cid.sha256(Multicodec.DAG_CBOR, DagCbor.encode(model)))
                    .isEqualTo(Cid.parse(cidOf(cborSibling)));
        }
    }

    private static Path sibling(Path f, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(f.getParent())) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .findFirst()
                    .orElse(null);
        }
    }

    @Test
    void cidFixturesPrintInTheirOwnBase() throws IOException {
        int checked = 0;
        for (Path f : fixtureFiles()) {
            String dir = f.getParent().getFileName().toString();
            if (!dir.startsWith("cid-")
                    || dir.endsWith("of")
                    || !f.toString().endsWith(".dag-cbor")) {
                continue;
            }
            String text = dir.substring(4);
            Cid cid = (Cid) DagCbor.decode(Files.readAllBytes(f));
            Cid parsed = Cid.parse(text);
            assertThat(parsed).isEqualTo(cid);
            String printed =
                    cid.version() == 0 ? cid.toString() : cid.toString(Multibase.forPrefix(text));
            assertThat(printed).isEqualTo(text);
            checked++;
        }
        assertThat(checked).isEqualTo(16);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> negatives(String codec, String phase)
            throws IOException {
        Path dir = SharedData.dir("ipld/codec-fixtures/negative-fixtures/" + codec + "/" + phase);
        List<Map<String, Object>> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                out.addAll((List<Map<String, Object>>) DagJson.decode(Files.readString(f)));
            }
        }
        return out;
    }

    @Test
    void negativeDagCborDecodeFixturesFailWithTheirReason() throws IOException {
        List<Map<String, Object>> cases = negatives("dag-cbor", "decode");
        assertThat(cases).isNotEmpty();
        for (Map<String, Object> c : cases) {
            byte[] bytes = HexFormat.of().parseHex((String) c.get("hex"));
            assertThatThrownBy(() -> DagCbor.decode(bytes))
                    .as((String) c.get("name"))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining((String) c.get("error"));
        }
    }

    @Test
    void negativeDagPbDecodeFixturesFailWithTheirReason() throws IOException {
        List<Map<String, Object>> cases = negatives("dag-pb", "decode");
        assertThat(cases).hasSize(9);
        for (Map<String, Object> c : cases) {
            byte[] bytes = HexFormat.of().parseHex((String) c.get("hex"));
            assertThatThrownBy(() -> DagPb.decode(bytes))
                    .as((String) c.get("name"))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining((String) c.get("error"));
        }
    }

    @Test
    void negativeDagPbEncodeFixturesFailWithTheirReason() throws IOException {
        List<Map<String, Object>> cases = negatives("dag-pb", "encode");
        assertThat(cases).hasSizeGreaterThan(60);
        for (Map<String, Object> c : cases) {
            Object form = c.get("dag-json");
            assertThatThrownBy(() -> DagPb.encode(DagPb.fromForm(form)))
                    .as((String) c.get("name"))
                    .isInstanceOf(CodecException.class)
                    .hasMessage((String) c.get("error"));
        }
    }

    @Test
    void negativeDagJsonDecodeFixturesFail() throws IOException {
        List<Map<String, Object>> cases = negatives("dag-json", "decode");
        assertThat(cases).isNotEmpty();
        for (Map<String, Object> c : cases) {
            String text =
                    c.containsKey("hex")
                            ? new String(
                                    HexFormat.of().parseHex((String) c.get("hex")),
                                    StandardCharsets.UTF_8)
                            : (String) c.get("json");
            assertThatThrownBy(() -> DagJson.decode(text))
                    .as((String) c.get("name"))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("duplicate map key");
        }
    }

    @Test
    void strictDagCborRejectsNonCanonicalForms() {
        HexFormat hex = HexFormat.of();
        Object[][] cases = {
            {"1817", "dag-cbor: integer or length 23 not minimally encoded"},
            {"9f01ff", "dag-cbor: indefinite-length items are not allowed"},
            {
                "a261620161610102",
                "dag-cbor: map key \"a\" out of canonical order (length-first, then bytewise)"
            },
            {"a10101", "dag-cbor: map keys must be strings (major type 0)"},
            {"f93c00", "dag-cbor: floats must be 64-bit"},
            {"fb7ff8000000000000", "dag-cbor: NaN and infinities are not allowed"},
            {"f7", "dag-cbor: undefined is not allowed"},
            {"c001", "dag-cbor: tag 0 is not allowed (only 42)"},
            {"0101", "dag-cbor: 1 trailing bytes after the value"},
            {"5a00010000", "dag-cbor: byte string length 65536 exceeds the remaining 0 bytes"},
            {"d82a4101", "dag-cbor: tag 42 bytes must start with the 0x00 multibase prefix"},
        };
        for (Object[] c : cases) {
            assertThatThrownBy(() -> DagCbor.decode(hex.parseHex((String) c[0])))
                    .as((String) c[0])
                    .isInstanceOf(CodecException.class)
                    .hasMessage((String) c[1]);
        }
    }
}
