package io.ipdm.lakes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.piece.CommP;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a real child JVM while it writes cold archives, then reopen and verify. */
class ColdTierCrashTest {

    @Test
    void killNineDuringArchiveWritesLosesNothingAcknowledgedAndServesNothingTorn(@TempDir Path dir)
            throws Exception {
        Random random = new Random(7);
        long acked = -1;
        for (int cycle = 0; cycle < 3; cycle++) {
            long killAfter = acked + 8 + random.nextInt(25);
            Process child = startChild(dir, acked + 1);
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(
                                    child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("ACK ")) {
                        acked = Long.parseLong(line.substring(4));
                        if (acked >= killAfter) {
                            break;
                        }
                    }
                }
                // SIGKILL while the child is in the middle of its next batch
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(acked)
                    .as("cycle " + cycle + " child acknowledged writes")
                    .isGreaterThanOrEqualTo(killAfter);
            verify(dir, acked);
        }
    }

    private static Process startChild(Path dir, long start) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(ColdWriterMain.class.getName(), dir.toString(), Long.toString(start)));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectError(dir.resolve("child-stderr.txt").toFile())
                        .start();
        return p;
    }

    /** Reopening recovers; then every acknowledged block reads back and every archive is whole. */
    private static void verify(Path dir, long acked) throws Exception {
        try (ColdTier cold =
                new ColdTier(
                        new LocalArchiveStorage(dir.resolve("archives")),
                        dir.resolve("index"),
                        1 << 20)) {
            for (long batch = 0; batch <= acked; batch++) {
                for (int k = 0; k < ColdWriterMain.BATCH; k++) {
                    Block expected = ColdWriterMain.block(batch * ColdWriterMain.BATCH + k);
                    Block got = cold.get(expected.cid());
                    assertThat(got).as("acknowledged block %d/%d", batch, k).isNotNull();
                    assertThat(got.data()).isEqualTo(expected.data());
                }
            }
            List<String> names = cold.storage().list();
            assertThat(names).noneMatch(n -> n.endsWith(".tmp") || n.endsWith(".rebuild"));
            for (ArchiveManifest m : cold.manifests()) {
                long blocks = 0;
                try (InputStream in = cold.storage().openSequential(m.archive());
                        CarReader r = CarReader.open(in)) {
                    while (r.next() != null) {
                        blocks++;
                    }
                }
                assertThat(blocks).as(m.archive()).isEqualTo(m.blocks());
                byte[] bytes = Files.readAllBytes(dir.resolve("archives").resolve(m.archive()));
                assertThat(CommP.of(bytes).cidV1()).as(m.archive()).isEqualTo(m.pieceCidV1());
            }
            long archives = names.stream().filter(n -> n.endsWith(".car")).count();
            assertThat(cold.manifests()).hasSize((int) archives);
        }
    }
}
