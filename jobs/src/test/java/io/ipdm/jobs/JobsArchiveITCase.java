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
 * splits, and the first range requests failing with 503 so retries are exercised).
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
        var sources =
                PipelineLoader.load(job, List.of(), Map.of("IPDM_ARCHIVE", "x.car"))
                        .spec()
                        .sources();
        // Only one source is switched to the archive; a job joining two sources would join
        // archive rows with synthetic ones (AnalystQueriesITCase checks those on real blocks).
        org.junit.jupiter.api.Assumptions.assumeTrue(
                sources.size() == 1,
                job + " reads " + sources.size() + " sources; this test switches only one");
        String source = sources.get(0).id();
        List<String> replay =
                windows(job, source, tmp.resolve("replay"), RealBlocks.replay(source));
        List<String> archive =
                windows(
                        job,
                        source,
                        tmp.resolve("archive"),
                        archive(source, car.toString(), "4194304", "2000"));
        List<String> overHttp =
                windows(
                        job,
                        source,
                        tmp.resolve("http"),
                        archive(source, http.archiveUrl(), "65536", "2"));
        assertThat(replay).isNotEmpty();
        assertThat(archive).as("old-faithful over the converted archive").isEqualTo(replay);
        assertThat(overHttp).as("old-faithful over HTTP").isEqualTo(replay);
    }

    private static List<String> archive(String source, String path, String readSize, String split) {
        String src = "sources." + source;
        return List.of(
                src + ".kind=old-faithful",
                src + ".options=",
                src + ".options.path=" + path,
                src + ".options.read_size=" + readSize,
                src + ".options.split_blocks=" + split,
                src + ".options.index_dir=" + shared.resolve("index-" + split),
                "event_time.max_out_of_orderness=" + RealBlocks.MAX_OUT_OF_ORDERNESS);
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

    private static String rounded(JsonNode n) {
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
