package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.jobs.testutils.ArchiveHttpServer;
import io.ipdm.jobs.testutils.JobComparison;
import io.ipdm.jobs.testutils.RealBlocks;
import java.nio.file.Path;
import java.util.List;
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
        car = JobComparison.realArchive(shared.resolve("real.car"));
        http = new ArchiveHttpServer().serve(car).failRanges(2);
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.ipdm.jobs.testutils.JobComparison#jobFiles")
    void sameWindowsFromReplayArchiveAndHttp(Path job, @TempDir Path tmp) throws Exception {
        // every Solana source of the job reads the blocks (a join reads them on both sides)
        List<String> ids = JobComparison.solanaSources(job);
        assertThat(ids).as("%s reads no Solana source", job).isNotEmpty();
        List<String> replay = JobComparison.eachSource(ids, RealBlocks::replay);
        // the six blocks' archive is read in slot order, and mixes networks (RealBlocks)
        List<String> archive = archive(ids, car.toString(), "4194304", "2000");
        List<String> overHttp = archive(ids, http.archiveUrl(), "65536", "2");
        String first = ids.get(0);
        List<String> fromReplay = JobComparison.windows(job, first, tmp.resolve("replay"), replay);
        List<String> fromArchive =
                JobComparison.windows(job, first, tmp.resolve("archive"), archive);
        List<String> fromHttp = JobComparison.windows(job, first, tmp.resolve("http"), overHttp);
        assertThat(fromReplay).isNotEmpty();
        assertThat(fromArchive).as("old-faithful over the converted archive").isEqualTo(fromReplay);
        assertThat(fromHttp).as("old-faithful over HTTP").isEqualTo(fromReplay);
    }

    private static List<String> archive(
            List<String> ids, String path, String readSize, String split) {
        return JobComparison.realArchiveSources(
                ids,
                path,
                shared.resolve("index-" + split),
                "read_size=" + readSize,
                "split_blocks=" + split);
    }
}
