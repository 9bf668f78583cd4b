package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.KeyFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityCommandTest extends CommandLineTest {
    @Test
    void createsTheKeyOnceAndPrintsItsPeerId(@TempDir Path dir) {
        Path key = dir.resolve("me.key");
        assertThat(run("id", "--key", key.toString())).isZero();
        String peer = KeyFile.load(key).peerId().toString();
        assertThat(err.toString()).contains("created identity " + key + " (peer id " + peer + ")");
        assertThat(out.toString()).startsWith("peer_id: " + peer + "\npublic_key: CAES");
        err.getBuffer().setLength(0);
        assertThat(run("id", "--key", key.toString())).isZero();
        assertThat(err.toString()).doesNotContain("created");
    }

    @Test
    void aBadKeyFileIsBadInput(@TempDir Path dir) {
        assertThat(run("id", "--key", dir.toString())).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).contains("is a directory");
    }
}
