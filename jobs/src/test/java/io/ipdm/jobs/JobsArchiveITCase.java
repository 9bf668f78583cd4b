package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.jobs.testutils.ArchiveHttpServer;
import io.ipdm.jobs.testutils.RealBlocks;
import io.ipdm.jobs.testutils.SyntheticJobRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example job in jobs/ gives the same windows from three sources of the six real blocks:
 * getBlock replay, the {@code old-faithful} source over an archive converted from them ({@code ipdm
 * solana to-car}), and that archive served over HTTP by a local server (small range reads, several
 * splits, and the first range requests failing with 503 so retries are exercised). Every Solana
 * source of a job is switched, so a join reads the blocks on both of its sides.
 */
class JobsArchiveITCase {
    @TempDir static Path shared;
    static Path car;
    static ArchiveHttpServer http;

    @BeforeAll
    static void convert() throws Exception {
        Path d = RealBlocks.dir();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("photon-getblock-base64", "nyanbot-getblock-base58")) {
            try (Stream<Path> s = Files.list(d.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().startsWith("block_")).forEach(files::add);
            }
        }
        car = shared.resolve("real.car");
        GetBlockArchive.Summary s = GetBlockArchive.convert(files, car);
        assertThat(s.blocks()).isEqualTo(6);
        http = new ArchiveHttpServer().serve(car).failRanges(2);
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
    }

    static Stream<Path> jobFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("."))) {
            return s
                    .filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobFiles")
    void sameWindowsFromReplayArchiveAndHttp(Path job, @TempDir Path tmp) throws Exception {
        // every Solana source of the job reads the blocks (a join reads them on both sides)
        List<String> ids =
                PipelineLoader.load(job, List.of(), Map.of("IPDM_ARCHIVE", "x.car"))
                        .spec()
                        .sources()
                        .stream()
                        .filter(
                                s ->
                                        s.kind() != null
                                                && (s.kind().startsWith("solana-")
                                                        || s.kind().equals("old-faithful")))
                        .map(s -> s.id())
                        .toList();
        assertThat(ids).as("%s reads no Solana source", job).isNotEmpty();
        List<String> replay = new ArrayList<>();
        List<String> archive = new ArrayList<>();
        List<String> overHttp = new ArrayList<>();
        for (String id : ids) {
            replay.addAll(RealBlocks.replay(id));
            archive.addAll(archive(id, car.toString(), "4194304", "2000"));
            overHttp.addAll(archive(id, http.archiveUrl(), "65536", "2"));
        }
        // the six blocks' archive is read in slot order, and mixes networks (RealBlocks)
        String room = "event_time.max_out_of_orderness=" + RealBlocks.ARCHIVE_OUT_OF_ORDERNESS;
        archive.add(room);
        overHttp.add(room);
        String first = ids.get(0);
        List<String> fromReplay = windows(job, first, tmp.resolve("replay"), replay);
        List<String> fromArchive = windows(job, first, tmp.resolve("archive"), archive);
        List<String> fromHttp = windows(job, first, tmp.resolve("http"), overHttp);
        assertThat(fromReplay).isNotEmpty();
        assertThat(fromArchive).as("old-faithful over the converted archive").isEqualTo(fromReplay);
        assertThat(fromHttp).as("old-faithful over HTTP").isEqualTo(fromReplay);
    }

    private static List<String> archive(String source, String path, String readSize, String split) {
        String src = "sources." + source;
        return List.of(
                src + ".kind=old-faithful",
                src + ".options=",
                src + ".options.path=" + path,
                src + ".options.read_size=" + readSize,
                src + ".options.split_blocks=" + split,
                src + ".options.index_dir=" + shared.resolve("index-" + split));
    }

    /** The job's window rows, each as JSON with numbers rounded to 9 digits, sorted. */
    static List<String> windows(Path job, String source, Path tmp, List<String> overrides)
            throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : SyntheticJobRun.run(job, source, tmp, overrides)) {
            out.add(rounded(r));
        }
        out.sort(null);
        return out;
    }

    /** A row as text with floating-point numbers rounded to 9 digits. */
    static String rounded(JsonNode n) {
        if (n.isFloatingPointNumber()) {
            return String.format("%.9g", n.asDouble());
        }
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(x -> items.add(rounded(x)));
            return items.toString();
        }
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            n.fieldNames()
                    .forEachRemaining(
                            f -> b.append(f).append('=').append(rounded(n.get(f))).append(','));
            return b.append('}').toString();
        }
        return n.toString();
    }
}
