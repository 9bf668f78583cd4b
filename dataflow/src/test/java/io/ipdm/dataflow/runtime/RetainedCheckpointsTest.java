package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedCheckpointsTest {
    private static Path checkpoint(Path dir, String job, int n, long writtenMillis, boolean done)
            throws Exception {
        Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + n));
        if (done) {
            Path meta = Files.writeString(chk.resolve("_metadata"), "x");
            Files.setLastModifiedTime(meta, FileTime.fromMillis(writtenMillis));
        }
        return chk;
    }

    @Test
    void newestCompletedCheckpointOfAnyJob(@TempDir Path dir) throws Exception {
        assertThat(RetainedCheckpoints.latest(dir.resolve("missing"))).isEmpty();
        assertThat(RetainedCheckpoints.latest(dir)).isEmpty();
        checkpoint(dir, "aaaa", 7, 1_000, true);
        Path newer = checkpoint(dir, "bbbb", 3, 2_000, true); // a later run of the job
        checkpoint(dir, "bbbb", 4, 0, false); // in progress when the process died
        Files.createDirectories(dir.resolve("bbbb/shared"));
        Files.createDirectories(dir.resolve("bbbb/taskowned"));
        assertThat(RetainedCheckpoints.latest(dir)).contains(newer);
        Path same = checkpoint(dir, "bbbb", 5, 2_000, true); // same second: the higher number
        assertThat(RetainedCheckpoints.latest(dir)).contains(same);
    }
}
