package io.ipdm.lakes.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.lakes.testutils.SharedData;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarFixturesTest {
    private static final String ROOT =
            "bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy";

    static List<CarReader.Section> readAll(Path file, CarReader.Options options)
            throws IOException {
        try (InputStream in = Files.newInputStream(file);
                CarReader r = CarReader.open(in, options)) {
            List<CarReader.Section> out = new ArrayList<>();
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                out.add(s);
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> manifestBlocks(String name) throws IOException {
        Path p = SharedData.dir("ipld/manifests/" + name + ".manifest.json");
        Map<String, Object> m = (Map<String, Object>) DagJson.decode(Files.readString(p));
        return (List<Map<String, Object>>) m.get("blocks");
    }

    @Test
    void sampleV1HasItsRootAndTheListed1049Blocks() throws IOException {
        Path car = SharedData.dir("ipld/go-car/v2-testdata/sample-v1.car");
        try (CarReader r = CarReader.open(Files.newInputStream(car))) {
            assertThat(r.version()).isEqualTo(1);
            assertThat(r.header().roots()).containsExactly(Cid.parse(ROOT));
        }
        List<CarReader.Section> sections = readAll(car, CarReader.Options.DEFAULT);
        List<Map<String, Object>> expected = manifestBlocks("go-car-sample-v1");
        assertThat(sections).hasSize(1049).hasSameSizeAs(expected);
        for (int i = 0; i < sections.size(); i++) {
            CarReader.Section s = sections.get(i);
            Map<String, Object> e = expected.get(i);
            assertThat(s.block().cid().toString()).isEqualTo(e.get("cid"));
            assertThat(s.offset()).isEqualTo(e.get("section_offset"));
            assertThat((long) s.length()).isEqualTo(e.get("section_length"));
        }
        assertThat(sections.stream().filter(s -> s.block().cid().codec() == 0x55)).hasSize(6);
        Path single =
                SharedData.dir(
                        "ipld/go-car/cmd-testdata/bafy2bzacebohz654namrgmwjjx4qmtwgxixsd7pn4tlanyrc3g3hwj75hlxrw.block");
        Block b =
                sections.stream()
                        .map(CarReader.Section::block)
                        .filter(
                                x ->
                                        x.cid()
                                                .toString()
                                                .equals(
                                                        "bafy2bzacebohz654namrgmwjjx4qmtwgxixsd7pn4tlanyrc3g3hwj75hlxrw"))
                        .findFirst()
                        .orElseThrow();
        assertThat(b.data()).isEqualTo(Files.readAllBytes(single));
    }

    @Test
    void wrappedV2HasTheSameBlocksAndItsIndexFindsThem(@TempDir Path tmp) throws IOException {
        Path v2 = SharedData.dir("ipld/go-car/v2-testdata/sample-wrapped-v2.car");
        try (CarReader r = CarReader.open(Files.newInputStream(v2))) {
            assertThat(r.version()).isEqualTo(2);
            assertThat(r.v2Header().dataOffset()).isEqualTo(51);
            assertThat(r.v2Header().dataSize()).isEqualTo(479907);
            assertThat(r.v2Header().indexOffset()).isEqualTo(479958);
            assertThat(r.header().roots()).containsExactly(Cid.parse(ROOT));
        }
        List<CarReader.Section> v1 =
                readAll(
                        SharedData.dir("ipld/go-car/v2-testdata/sample-v1.car"),
                        CarReader.Options.DEFAULT);
        List<CarReader.Section> fromV2 = readAll(v2, CarReader.Options.DEFAULT);
        assertThat(fromV2.stream().map(s -> s.block().cid()).toList())
                .isEqualTo(v1.stream().map(s -> s.block().cid()).toList());
        try (CarV2File f = CarV2File.open(v2)) {
            assertThat(f.index().size()).isEqualTo(1043);
            for (CarReader.Section s : v1) {
                if (s.block().cid().multihash().code() != 0) {
                    assertThat(f.get(s.block().cid()).data()).isEqualTo(s.block().data());
                }
            }
        }
        // writing the v1 blocks as v2 reproduces go-car's file byte for byte
        Path ours = tmp.resolve("ours.car");
        try (CarV2Writer w = new CarV2Writer(ours, List.of(Cid.parse(ROOT)))) {
            for (CarReader.Section s : v1) {
                w.write(s.block());
            }
        }
        assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(v2));
    }

    @Test
    void standaloneIndexesDecodeAndPointAtSections() throws IOException {
        List<Map<String, Object>> expected = manifestBlocks("go-car-sample-v1");
        byte[] mhIndex =
                Files.readAllBytes(
                        SharedData.dir(
                                "ipld/go-car/v2-testdata/sample-multihash-index-sorted.carindex"));
        CarIndex idx = CarIndex.decode(mhIndex);
        assertThat(idx.encode()).isEqualTo(mhIndex);
        CarIndex sorted =
                CarIndex.decode(
                        Files.readAllBytes(
                                SharedData.dir("ipld/go-car/v2-testdata/sample-index.carindex")));
        for (Map<String, Object> e : expected) {
            Cid cid = Cid.parse((String) e.get("cid"));
            if (cid.multihash().code() != 0) {
                assertThat(idx.offsetOf(cid.multihash())).isEqualTo(e.get("section_offset"));
            }
            assertThat(sorted.offsetOf(cid.multihash())).isEqualTo(e.get("section_offset"));
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void specFixturesMatchTheirJsonLayout() throws IOException {
        for (String name : List.of("carv1-basic", "carv2-basic")) {
            Path dir = SharedData.dir("ipld/ipld-spec-car-fixtures/" + name);
            Map<String, Object> spec =
                    (Map<String, Object>)
                            DagJson.decode(Files.readString(dir.resolve(name + ".json")));
            List<CarReader.Section> got =
                    readAll(dir.resolve(name + ".car"), CarReader.Options.DEFAULT);
            List<Map<String, Object>> blocks = (List<Map<String, Object>>) spec.get("blocks");
            assertThat(got).as(name).hasSameSizeAs(blocks);
            long base = name.equals("carv2-basic") ? 51 : 0;
            for (int i = 0; i < blocks.size(); i++) {
                Map<String, Object> e = blocks.get(i);
                CarReader.Section s = got.get(i);
                assertThat(s.block().cid()).isEqualTo(e.get("cid"));
                assertThat(s.offset() + base).isEqualTo(e.get("offset"));
                assertThat((long) s.length()).isEqualTo(e.get("length"));
                assertThat(s.blockOffset() + base).isEqualTo(e.get("blockOffset"));
                assertThat((long) s.block().data().length).isEqualTo(e.get("blockLength"));
            }
            try (CarReader r = CarReader.open(Files.newInputStream(dir.resolve(name + ".car")))) {
                Map<String, Object> header = (Map<String, Object>) spec.get("header");
                if (name.equals("carv1-basic")) {
                    assertThat(r.header().roots()).isEqualTo(header.get("roots"));
                } else {
                    assertThat(r.header().roots())
                            .containsExactly(
                                    Cid.parse("QmfEoLyB5NndqeKieExd1rtJzTduQUPEV8TwAYcUiy3H5Z"));
                }
            }
        }
    }

    @Test
    void otherValidCars() throws IOException {
        assertThat(
                        readAll(
                                SharedData.dir("ipld/go-car/cmd-testdata/simple-unixfs.car"),
                                CarReader.Options.DEFAULT))
                .hasSize(22);
        assertThat(
                        readAll(
                                SharedData.dir(
                                        "ipld/go-car/cmd-testdata/wikipedia-cryptographic-hash-function.car"),
                                CarReader.Options.DEFAULT))
                .hasSize(5);
        assertThat(
                        readAll(
                                SharedData.dir("ipld/codec-fixtures/fixtures.car"),
                                CarReader.Options.DEFAULT))
                .hasSize(273);
        assertThat(
                        readAll(
                                SharedData.dir("ipld/go-car/v2-testdata/sample-v1-noidentity.car"),
                                CarReader.Options.DEFAULT))
                .hasSize(1043);
        assertThat(
                        readAll(
                                SharedData.dir("ipld/go-car/v2-testdata/sample-v2-indexless.car"),
                                CarReader.Options.DEFAULT))
                .hasSize(1049);
        assertThat(
                        readAll(
                                SharedData.dir("ipld/go-car/v2-testdata/sample-unixfs-v2.car"),
                                CarReader.Options.DEFAULT))
                .hasSize(3);
        assertThat(
                        readAll(
                                SharedData.dir("ipld/go-car/v2-testdata/sample-rw-bs-v2.car"),
                                CarReader.Options.DEFAULT))
                .hasSize(3);
    }

    @Test
    void zeroLengthSectionsAreAnErrorUnlessTreatedAsEnd() throws IOException {
        Path one = SharedData.dir("ipld/go-car/v2-testdata/sample-v1-with-zero-len-section.car");
        Path two = SharedData.dir("ipld/go-car/v2-testdata/sample-v1-with-zero-len-section2.car");
        CarReader.Options eof = CarReader.Options.DEFAULT.withZeroLengthSectionAsEof();
        assertThat(readAll(one, eof)).hasSize(1049);
        assertThat(readAll(two, eof)).hasSize(20);
        assertThatThrownBy(() -> readAll(one, CarReader.Options.DEFAULT))
                .isInstanceOf(CarException.class)
                .hasMessage("invalid section data: zero-length section at offset 479907");
    }

    private static void rejects(String path, String message) {
        assertThatThrownBy(() -> readAll(SharedData.dir(path), CarReader.Options.DEFAULT))
                .as(path)
                .isInstanceOf(CarException.class)
                .hasMessage(message);
    }

    @Test
    void everyCorruptFixtureIsRejectedWithItsReason() {
        rejects(
                "ipld/go-car/cmd-testdata/badheaderlength.car",
                "invalid header data: header length 216830324832 exceeds the maximum 33554432");
        rejects(
                "ipld/go-car/cmd-testdata/badsectionlength.car",
                "invalid section data: section length 216830324832 at offset 18 exceeds the maximum 33554432");
        rejects(
                "ipld/go-car/v2-testdata/sample-corrupt-pragma.car",
                "invalid header data: header truncated, needs 18 bytes, got 15");
        rejects(
                "ipld/go-car/v2-testdata/sample-rootless-v42.car",
                "unsupported CAR version 42 (1 and 2 are supported)");
        rejects(
                "ipld/go-car/v2-testdata/sample-v2-corrupt-data-and-index.car",
                "invalid CARv2 header: data offset 18446744073709550254 is outside the file");
        rejects(
                "ipld/go-car/v2-testdata/sample-v1-tailing-corrupt-section.car",
                "invalid section data: section at offset 479518 truncated, needs 387 bytes, got 374");
    }
}
