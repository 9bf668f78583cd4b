package io.ipdm.dataflow.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive.ArchiveBlock;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code old-faithful} archives named by {@code path} (and {@code index}, {@code lake}) are checked
 * when the pipeline is: a missing file, a file that is not a CAR, a malformed URL or CID is refused
 * at the option's line and column, saying what to do.
 */
class OldFaithfulPathCheckTest {
    private static final String CID =
            Cid.sha256(Multicodec.DAG_CBOR, new byte[] {(byte) 0x80}).toString();
    private static final String MAKE =
            "make one from getBlock responses with `ipdm solana to-car BLOCKS... -o FILE` (or one"
                    + " of any size with `ipdm solana gen-car BLOCKS... --transactions N -o FILE`),"
                    + " download an epoch from Old Faithful"
                    + " (https://files.old-faithful.net/EPOCH/epoch-EPOCH.car), or give an"
                    + " http(s):// URL, or a root CID with option lake";

    /** Options of the source, on line 6 from column 15. */
    static String pipeline(String options) {
        return """
                name: of
                event_time: {field: block_time, unit: seconds}
                sources:
                  - id: txs
                    kind: old-faithful
                    options: {%s}
                    table: transactions
                sinks:
                  - {id: out, kind: terminal, input: txs}
                """
                .formatted(options);
    }

    static void check(String options, Path base) {
        PipelineCompiler.check(
                PipelineLoader.parse(pipeline(options), "of.yaml", List.of(), Map.of()), base);
    }

    /** A real one-block archive (no transactions): what the checks accept. */
    static Path archive(Path dir, String name) throws IOException {
        Path car = dir.resolve(name);
        GetBlockArchive.write(
                List.of(
                        new ArchiveBlock(
                                300_000_000L,
                                299_999_999L,
                                "4sGjMW1sUnHzSxGspuhpqLDx6wiyjNtZAMdL4VZHirAn",
                                1_700_000_000L,
                                1L,
                                List.of(),
                                new byte[0])),
                car);
        return car;
    }

    private static void refused(String options, Path base, String message) {
        assertThatThrownBy(() -> check(options, base))
                .isInstanceOf(PipelineException.class)
                .hasMessage(message);
    }

    @Test
    void aMissingArchiveIsRefusedAtItsLineAndColumnSayingWhereArchivesComeFrom(@TempDir Path tmp) {
        refused(
                "path: backfill.car",
                tmp,
                "of.yaml:6:21: sources.txs.options.path: no such archive: "
                        + tmp.resolve("backfill.car")
                        + "; "
                        + MAKE);
    }

    @Test
    void oneMissingArchiveAmongSeveralIsNamed(@TempDir Path tmp) throws IOException {
        archive(tmp, "a.car");
        refused(
                "path: \"a.car, b.car\"",
                tmp,
                "of.yaml:6:22: sources.txs.options.path: no such archive: "
                        + tmp.resolve("b.car")
                        + "; "
                        + MAKE);
    }

    @Test
    void aFileThatIsNotACarIsRefused(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("notes.car"), "{\"not\": \"a car\"}");
        refused(
                "path: notes.car",
                tmp,
                "of.yaml:6:21: sources.txs.options.path: "
                        + tmp.resolve("notes.car")
                        + ": not a CAR file (its header is not dag-cbor); give an Old Faithful CAR archive");
    }

    @Test
    void aDirectoryWithoutArchivesIsRefused(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        refused(
                "path: empty",
                tmp,
                "of.yaml:6:21: sources.txs.options.path: no *.car files in "
                        + tmp.resolve("empty")
                        + "; "
                        + MAKE);
    }

    @Test
    void malformedUrlsAreRefused(@TempDir Path tmp) {
        refused(
                "path: \"https://files.example.com/epoch 800.car\"",
                tmp,
                "of.yaml:6:22: sources.txs.options.path: 'https://files.example.com/epoch 800.car'"
                        + " is not a valid URL: Illegal character in path at character 32");
        refused(
                "path: \"https:///epoch-800.car\"",
                tmp,
                "of.yaml:6:22: sources.txs.options.path: 'https:///epoch-800.car' is not a valid"
                        + " URL: it names no host");
        refused(
                "path: \"s3://bucket/epoch-800.car\"",
                tmp,
                "of.yaml:6:22: sources.txs.options.path: 's3://bucket/epoch-800.car': archives are"
                        + " read from local files, http(s):// URLs or a root CID in a lake; s3://"
                        + " is not supported (download the archive and give its path)");
        refused(
                "path: \"a.car,\"",
                tmp,
                "of.yaml:6:22: sources.txs.options.path: an empty entry in 'a.car,'; give archive"
                        + " files, directories or URLs separated by single commas");
    }

    @Test
    void aMalformedCidIsRefused(@TempDir Path tmp) {
        assertThatThrownBy(
                        () ->
                                check(
                                        "path: bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yi0, lake: .",
                                        tmp))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith(
                        "of.yaml:6:21: sources.txs.options.path:"
                                + " 'bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yi0'"
                                + " is neither a file nor a valid CID (")
                .hasMessageEndingWith("); give an archive file, an http(s):// URL or a root CID");
    }

    @Test
    void aCidsLakeMustExist(@TempDir Path tmp) {
        refused(
                "path: " + CID + ", lake: no-lake",
                tmp,
                "of.yaml:6:88: sources.txs.options.lake: no lake directory at "
                        + tmp.resolve("no-lake")
                        + " (the root CID "
                        + CID
                        + " is read from it; `ipdm lake --dir DIR import-car ARCHIVE` puts an"
                        + " archive in a lake)");
    }

    @Test
    void missingIndexFilesAreRefused(@TempDir Path tmp) throws IOException {
        archive(tmp, "e.car");
        assertThatThrownBy(() -> check("path: e.car, index: [e-slot-to-cid.index, x]", tmp))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith(
                        "of.yaml:6:35: sources.txs.options.index: no such index file: "
                                + tmp.resolve("e-slot-to-cid.index")
                                + "; Old Faithful publishes");
    }

    @Test
    void realArchivesFilesDirectoriesUrlsAndCidsPass(@TempDir Path tmp) throws IOException {
        archive(tmp, "a.car");
        Files.createDirectories(tmp.resolve("dir"));
        archive(tmp.resolve("dir"), "b.car");
        Files.createDirectories(tmp.resolve("lake"));
        assertThatCode(() -> check("path: a.car", tmp)).doesNotThrowAnyException();
        assertThatCode(() -> check("path: dir", tmp)).doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                check(
                                        "path: \"https://files.old-faithful.net/800/epoch-800.car\"",
                                        tmp))
                .doesNotThrowAnyException();
        assertThatCode(() -> check("path: " + CID + ", lake: lake", tmp))
                .doesNotThrowAnyException();
        assertThat(Files.exists(tmp.resolve("a.car.slots")))
                .as("checking reads the header only, it builds no index")
                .isFalse();
    }
}
