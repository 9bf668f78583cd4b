package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleAndLakeCommandsTest extends CommandLineTest {
    private static final String CORPUS = "../wasm-udf/corpus/";

    @Test
    void wasmCheckDescribesAGoodModule() {
        assertThat(run("wasm", "check", CORPUS + "c/classify.wasm")).isZero();
        assertThat(out.toString())
                .contains("module    classify")
                .contains("abi       1 (host implements 1)")
                .contains("  map classify")
                .contains("input   program_ids: list<utf8>");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void wasmCheckRejectsAWrongAbiVersionWithExitTwo() {
        assertThat(run("wasm", "check", CORPUS + "hostile/abi2.wasm")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "ipdm wasm check: "
                                + CORPUS
                                + "hostile/abi2.wasm: module 'abi2' was built for IPDM ABI version 2"
                                + " but this host implements version 1; rebuild it with the"
                                + " current SDK\n");
    }

    @Test
    void wasmAddStoresModulesByCidAndPrintsIt(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("modules");
        assertThat(run("wasm", "add", "--store", store.toString(), CORPUS + "c/classify.wasm"))
                .isZero();
        String cid = out.toString().trim();
        assertThat(cid).startsWith("bafkrei");
        assertThat(store.resolve(cid + ".wasm"))
                .hasSameBinaryContentAs(Path.of(CORPUS + "c/classify.wasm"));
        assertThat(run("wasm", "add", "--store", store.toString(), CORPUS + "hostile/abi2.wasm"))
                .isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "ipdm wasm add: " + CORPUS + "hostile/abi2.wasm: module 'abi2' was built");
    }

    @Test
    void lakePutThenStatFindsTheBlock(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hello.txt");
        Files.writeString(file, "hello lava lakes\n", StandardCharsets.UTF_8);
        String lake = dir.resolve("lake").toString();
        assertThat(run("lake", "--dir", lake, "put", file.toString())).isZero();
        String cid = out.toString().trim();
        // One small raw leaf: CIDv1, raw codec, sha2-256, base32.
        assertThat(cid).startsWith("bafkrei");
        out.getBuffer().setLength(0);
        assertThat(run("lake", "--dir", lake, "stat", cid)).isZero();
        assertThat(out.toString()).contains("cid    " + cid).contains("size   17 bytes");
    }

    @Test
    void lakeGcKeepsPinnedRootsAndDeletesUnpinnedOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hello.txt");
        Files.writeString(file, "hello lava lakes\n", StandardCharsets.UTF_8);
        String lake = dir.resolve("lake").toString();
        assertThat(run("lake", "--dir", lake, "put", file.toString())).isZero();
        String cid = out.toString().trim();
        out.getBuffer().setLength(0);
        assertThat(run("lake", "--dir", lake, "gc")).isZero();
        assertThat(out.toString()).startsWith("freed 0 blocks (0 warm, 0 bytes;");
        out.getBuffer().setLength(0);
        assertThat(run("lake", "--dir", lake, "unpin", cid)).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(run("lake", "--dir", lake, "unpin", cid)).isZero();
        assertThat(out.toString()).isEqualTo(cid + " was not pinned; nothing changed\n");
        out.getBuffer().setLength(0);
        assertThat(run("lake", "--dir", lake, "gc")).isZero();
        assertThat(out.toString())
                .startsWith(
                        "freed 1 blocks (1 warm, 17 bytes; 0 cold, 0 bytes; 0 archives deleted,"
                                + " 0 repacked); 0 live\n");
        assertThat(run("lake", "--dir", lake, "stat", cid)).isNotZero();
        assertThat(err.toString()).contains("block " + cid + " not found");
    }

    private static final String LOTUS_ROOT =
            "bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy";

    /** Imports go-car's sample-v1.car (a Lotus chain DAG) into a new lake; returns its dir. */
    private String importLotusSample(Path dir) {
        Path car =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "ipld/go-car/v2-testdata/sample-v1.car");
        Assumptions.assumeTrue(Files.exists(car), "go-car sample-v1.car not found; skipping");
        String lake = dir.resolve("lake").toString();
        assertThat(run("lake", "--dir", lake, "import-car", car.toString())).isZero();
        return lake;
    }

    /** A CAR streamed through a named pipe ({@code <(curl ...)}) imports like the file. */
    @Test
    void lakeImportCarReadsANamedPipe(@TempDir Path dir) throws Exception {
        Path car =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "ipld/go-car/v2-testdata/sample-v1.car");
        Assumptions.assumeTrue(Files.exists(car), "go-car sample-v1.car not found; skipping");
        Path fifo = dir.resolve("car.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Thread writer =
                new Thread(
                        () -> {
                            try (java.io.OutputStream o = Files.newOutputStream(fifo)) {
                                Files.copy(car, o);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
        writer.setDaemon(true);
        writer.start();
        String lake = dir.resolve("lake").toString();
        assertThat(run("lake", "--dir", lake, "import-car", fifo.toString()))
                .as("stderr: %s", err)
                .isZero();
        assertThat(out.toString()).startsWith("imported 1049 blocks; roots: [" + LOTUS_ROOT);
        writer.join();
    }

    @Test
    void lakeStatsALotusBlockWithNonUtf8Strings(@TempDir Path dir) {
        String lake = importLotusSample(dir);
        String root = LOTUS_ROOT;
        assertThat(out.toString()).startsWith("imported 1049 blocks");
        out.getBuffer().setLength(0);
        // a block whose text strings are not UTF-8 (the strict decoder fails at offset 113)
        String child = "bafy2bzaceboghf2ktc667z66nm23h7birr4gup5fcdjwspegdxdwry4h2xqmy";
        assertThat(run("lake", "--dir", lake, "stat", child)).isZero();
        assertThat(out.toString()).startsWith("cid    " + child + "\n").endsWith("\n");
        assertThat(err.toString()).isEmpty();
        out.getBuffer().setLength(0);
        assertThat(run("lake", "--dir", lake, "stat", root)).isZero();
        assertThat(out.toString()).endsWith("links  4\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void lakeImportCarSaysWhatItDidNotPinAndRollsBackABrokenCar(@TempDir Path dir)
            throws Exception {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../../shared/data"));
        Path rootless = data.resolve("ipld/codec-fixtures/fixtures.car");
        Path sample = data.resolve("ipld/go-car/v2-testdata/sample-v1.car");
        Assumptions.assumeTrue(Files.exists(rootless) && Files.exists(sample), "CARs not found");
        String lake = dir.resolve("lake").toString();
        assertThat(run("lake", "--dir", lake, "import-car", rootless.toString())).isZero();
        // the codec fixtures link to blocks they do not include
        assertThat(out.toString())
                .isEqualTo(
                        "imported 273 blocks; roots: []\n"
                                + "the CAR names no roots: nothing was pinned, and the next gc"
                                + " deletes its blocks unless a pin reaches them\n"
                                + "incomplete DAG: 76 linked blocks are in neither the CAR nor the"
                                + " lake (first: QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY);"
                                + " export-car of a root that reaches them fails\n");
        out.getBuffer().setLength(0);
        byte[] bytes = Files.readAllBytes(sample);
        Path cut = Files.write(dir.resolve("cut.car"), java.util.Arrays.copyOf(bytes, 1000));
        assertThat(run("lake", "--dir", lake, "import-car", cut.toString())).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString())
                .startsWith("ipdm lake: import of " + cut + " failed after ")
                .endsWith(" blocks it had added were removed, nothing was pinned\n");
    }

    /** Runs with System.out captured (get and export-car write bytes there); returns stdout. */
    private byte[] runCapturingStdout(String... args) {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(bytes, true));
        try {
            exit = run(args);
        } finally {
            System.setOut(saved);
        }
        return bytes.toByteArray();
    }

    private int exit;

    @Test
    void lakeExportCarOfALotusDagAndAFailedExportThatWritesNothing(@TempDir Path dir)
            throws Exception {
        String lake = importLotusSample(dir);
        String root = LOTUS_ROOT;
        byte[] exported = runCapturingStdout("lake", "--dir", lake, "export-car", root);
        assertThat(exit).isZero();
        // 1049 sections in the Lotus CAR, 6 of them identity blocks that a CAR export leaves out
        assertThat(err.toString()).isEqualTo("exported 1043 blocks\n");
        int sections = 0;
        try (var r = io.ipdm.lakes.car.CarReader.open(new java.io.ByteArrayInputStream(exported))) {
            while (r.next() != null) {
                sections++;
            }
        }
        assertThat(sections).isEqualTo(1043);

        err.getBuffer().setLength(0);
        byte[] nothing = runCapturingStdout("lake", "--dir", lake, "export-car", "bafkqaaa");
        assertThat(exit).isZero();
        assertThat(nothing.length).isGreaterThan(0); // a header-only CAR
        err.getBuffer().setLength(0);
        try (var lakeCmds =
                io.ipdm.lakes.cli.LakeCommands.open(
                        Path.of(lake), io.ipdm.lakes.policy.StorageConfig.defaults())) {
            lakeCmds.store()
                    .delete(
                            io.ipdm.multiformats.Cid.parse(
                                    "bafy2bzaceboghf2ktc667z66nm23h7birr4gup5fcdjwspegdxdwry4h2xqmy"));
        }
        byte[] failed = runCapturingStdout("lake", "--dir", lake, "export-car", root);
        // a block the lake lacks is content not to be had now (1, as lake get), with what to do
        String hint =
                "; read it from a node that holds it with --network MULTIADDR/p2p/ID or"
                        + " --routing URL, or import-car a CAR that has it\n";
        assertThat(exit).isEqualTo(IpdmCli.JOB_FAILED);
        assertThat(failed).isEmpty();
        assertThat(err.toString())
                .startsWith("ipdm lake: export of " + root + " stopped after reading ")
                .contains(
                        "nothing written: block"
                                + " bafy2bzaceboghf2ktc667z66nm23h7birr4gup5fcdjwspegdxdwry4h2xqmy"
                                + " of the DAG under "
                                + root
                                + " is missing")
                .endsWith(hint);
        err.getBuffer().setLength(0);
        runCapturingStdout(
                "lake",
                "--dir",
                lake,
                "get",
                "bafy2bzaceboghf2ktc667z66nm23h7birr4gup5fcdjwspegdxdwry4h2xqmy");
        assertThat(exit).isEqualTo(IpdmCli.JOB_FAILED);
        assertThat(err.toString())
                .startsWith(
                        "ipdm lake: block"
                                + " bafy2bzaceboghf2ktc667z66nm23h7birr4gup5fcdjwspegdxdwry4h2xqmy"
                                + " not found")
                .endsWith(hint);
    }

    @Test
    void lakeImportCarEndsAtAZeroLengthSectionWhenAsked(@TempDir Path dir) {
        Path car =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "ipld/go-car/v2-testdata/sample-v1-with-zero-len-section.car");
        Assumptions.assumeTrue(Files.exists(car), "go-car padded CAR not found; skipping");
        String lake = dir.resolve("lake").toString();
        assertThat(run("lake", "--dir", lake, "import-car", car.toString())).isEqualTo(2);
        assertThat(err.toString())
                .endsWith(
                        "nothing was pinned (if the CAR is padded, --zero-length-section-as-eof"
                                + " ends it there)\n");
        assertThat(
                        run(
                                "lake",
                                "--dir",
                                lake,
                                "import-car",
                                "--zero-length-section-as-eof",
                                car.toString()))
                .isZero();
        assertThat(out.toString()).startsWith("imported 1049 blocks; roots: [" + LOTUS_ROOT + "]");
    }

    @Test
    void lakeRejectsAnUnknownStorageSettingWithExitTwo(@TempDir Path dir) {
        assertThat(run("lake", "--dir", dir.toString(), "--config", "hot=1", "gc")).isEqualTo(2);
        assertThat(err.toString()).startsWith("ipdm lake: storage config: unknown key 'hot'");
    }
}
