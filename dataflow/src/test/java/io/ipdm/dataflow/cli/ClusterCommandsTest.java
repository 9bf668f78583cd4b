package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.runtime.SavepointLocations;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster and jobs subcommands' input checks; no cluster is started here. */
class ClusterCommandsTest extends CommandLineTest {
    @TempDir Path dir;

    @Test
    void savepointUrisStayAndPlainPathsBecomeAbsolute() {
        assertThat(SavepointLocations.resolve("file:/tmp/sp/savepoint-1a2b-3c"))
                .isEqualTo("file:/tmp/sp/savepoint-1a2b-3c");
        assertThat(SavepointLocations.resolve("s3://bucket/sp/savepoint-1a2b-3c"))
                .isEqualTo("s3://bucket/sp/savepoint-1a2b-3c");
        assertThat(SavepointLocations.resolve("sp/../savepoint-1a2b-3c"))
                .isEqualTo(Path.of("").toAbsolutePath().resolve("savepoint-1a2b-3c").toString());
    }

    @Test
    void statusWithoutClusterSaysSo() {
        assertThat(run("cluster", "status", "--state-dir", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("ipdm: no cluster started from " + dir + "\n");
    }

    @Test
    void stateDirMayComeBeforeTheSubcommand() {
        assertThat(run("cluster", "--state-dir", dir.toString(), "stop")).isEqualTo(0);
        assertThat(out.toString())
                .isEqualTo("ipdm: no cluster processes running from " + dir + "\n");
    }

    @Test
    void startRejectsZeroTaskManagers() {
        assertThat(run("cluster", "start", "--taskmanagers", "0", "--state-dir", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("--taskmanagers must be at least 1, got 0");
    }

    @Test
    void startRejectsMalformedConf() {
        assertThat(
                        run(
                                "cluster",
                                "start",
                                "--conf",
                                "no-equals-sign",
                                "--state-dir",
                                dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("--conf expects KEY=VALUE, got 'no-equals-sign'");
    }

    @Test
    void addTaskManagerNeedsARunningCluster() {
        assertThat(run("cluster", "add-taskmanager", "--state-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("no cluster started from " + dir + "; run `ipdm cluster start` first");
    }

    @Test
    void jobsRejectMalformedIdsAndAddresses() {
        assertThat(run("jobs", "cancel", "abc")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("'abc' is not a job id (32 hex digits, as `ipdm jobs list` prints)");
        err.getBuffer().setLength(0);
        assertThat(run("jobs", "list", "--jobmanager", "nohost")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "--jobmanager must be HOST:PORT of the Flink REST endpoint (e.g."
                                + " localhost:8081), got 'nohost'");
    }

    @Test
    void jobsListReportsAnUnreachableJobManager() {
        assertThat(run("jobs", "list", "--jobmanager", "localhost:1")).isEqualTo(1);
        assertThat(err.toString()).startsWith("ipdm: listing jobs on localhost:1 failed: ");
    }

    @Test
    void quietLeavesOutStatusLinesButNotErrors() {
        assertThat(run("cluster", "stop", "-q", "--state-dir", dir.toString())).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(run("jobs", "list", "-q", "--jobmanager", "localhost:1")).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("ipdm: listing jobs on localhost:1 failed: ")
                .doesNotContain("\tat ");
    }

    @Test
    void verboseAddsTheStackTraceOfAFailure() {
        assertThat(run("jobs", "list", "--verbose", "--jobmanager", "localhost:1")).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("ipdm: listing jobs on localhost:1 failed: ")
                .contains("ClusterException")
                .contains("\tat io.ipdm.dataflow.cluster.JobOperations");
    }
}
