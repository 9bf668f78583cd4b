package io.ipdm.dataflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir Path dir;

    @Test
    void stopsOnlyAProcessWhoseCommandLineCarriesTheMarker() throws Exception {
        // the marker is sh's $0, so it shows on the command line
        Process sleeper =
                new ProcessBuilder(List.of("sh", "-c", "sleep 60 & wait", dir.toString())).start();
        try {
            PidFile other = new PidFile(dir.resolve("other.pid"), "/not/our/state/dir");
            other.write(sleeper.pid());
            assertThat(other.process()).isEmpty();
            assertThat(other.stop(Duration.ofSeconds(5))).isFalse();
            assertThat(sleeper.isAlive()).isTrue();

            PidFile ours = new PidFile(dir.resolve("ours.pid"), dir.toString());
            ours.write(sleeper.pid());
            assertThat(ours.process()).isPresent();
            assertThat(ours.stop(Duration.ofSeconds(5))).isTrue();
            assertThat(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(Files.exists(dir.resolve("ours.pid"))).isFalse();
        } finally {
            sleeper.descendants().forEach(ProcessHandle::destroyForcibly);
            sleeper.destroyForcibly();
        }
    }

    @Test
    void missingOrGarbledPidFileNamesNoProcess() throws Exception {
        PidFile f = new PidFile(dir.resolve("x.pid"), dir.toString());
        assertThat(f.pid()).isEmpty();
        Files.writeString(dir.resolve("x.pid"), "not a pid");
        assertThat(f.process()).isEmpty();
    }
}
