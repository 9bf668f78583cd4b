package io.ipdm.mesh.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordLogTest {
    private final Ed25519KeyPair alice = Ed25519KeyPair.generate();

    private SignedRecord rec(String key, long version) {
        return SignedRecord.sign(
                alice,
                key.getBytes(StandardCharsets.UTF_8),
                ("value of " + key + " v" + version).getBytes(StandardCharsets.UTF_8),
                version);
    }

    @Test
    void aStoreSurvivesReopeningWithTheVersionRulesKept(@TempDir Path dir) {
        Path f = dir.resolve("records/records.log");
        try (RecordStore s = RecordStore.open(f, 1024)) {
            s.put(rec("sub/a", 1));
            s.put(rec("sub/a", 2));
            s.put(rec("att/x", 1));
            assertThat(s.put(rec("sub/a", 1)).outcome()).isEqualTo(PutResult.Outcome.STALE);
        }
        try (RecordStore s = RecordStore.open(f, 1024)) {
            assertThat(s.size()).isEqualTo(2);
            assertThat(
                            s.latest(alice.publicKey(), "sub/a".getBytes(StandardCharsets.UTF_8))
                                    .version())
                    .isEqualTo(2);
            assertThat(s.recovery()).isNull();
            // the replay is still a replay after the restart
            assertThat(s.put(rec("sub/a", 1)).outcome()).isEqualTo(PutResult.Outcome.STALE);
            assertThat(s.withPrefix("sub/".getBytes(StandardCharsets.UTF_8)))
                    .extracting(SignedRecord::keyText)
                    .containsExactly("sub/a");
        }
    }

    @Test
    void aTornTailIsCutAndReported(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("records.log");
        try (RecordStore s = RecordStore.open(f, 1024)) {
            s.put(rec("a", 1));
            s.put(rec("b", 1));
        }
        long intact = Files.size(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(intact - 5); // a crash in the middle of the last append
        }
        try (RecordStore s = RecordStore.open(f, 1024)) {
            assertThat(s.size()).isEqualTo(1);
            assertThat(s.recovery())
                    .startsWith("record log " + f + ": an entry cut short (")
                    .contains("; dropped the last ")
                    .endsWith("(peers resend those records)");
            s.put(rec("c", 1));
        }
        try (RecordStore s = RecordStore.open(f, 1024)) {
            assertThat(s.size()).isEqualTo(2);
            assertThat(s.recovery()).isNull();
        }
    }

    /**
     * A crash in the middle of appending the last record (its header and half its bytes written):
     * reopening keeps every record before it, drops exactly the torn bytes and says where and how
     * many; the next append lands where the torn one began.
     */
    @Test
    void aRecordTornMidwayIsTheOnlyThingDropped(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("records.log");
        long before;
        SignedRecord last = rec("c", 1);
        try (RecordStore s = RecordStore.open(f, 1024)) {
            s.put(rec("a", 1));
            s.put(rec("b", 1));
            before = Files.size(f);
            s.put(last);
        }
        long torn = 8 + last.encoded().length / 2; // header + half the record
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(before + torn);
        }
        try (RecordStore s = RecordStore.open(f, 1024)) {
            assertThat(s.withPrefix(new byte[0]))
                    .extracting(SignedRecord::keyText)
                    .containsExactlyInAnyOrder("a", "b");
            assertThat(s.recovery())
                    .isEqualTo(
                            "record log "
                                    + f
                                    + ": an entry cut short ("
                                    + (torn - 8)
                                    + " of "
                                    + last.encoded().length
                                    + " bytes) at offset "
                                    + before
                                    + "; dropped the last "
                                    + torn
                                    + " bytes (peers resend those records)");
            assertThat(Files.size(f)).isEqualTo(before);
            s.put(last);
        }
        try (RecordStore s = RecordStore.open(f, 1024)) {
            assertThat(s.size()).isEqualTo(3);
            assertThat(s.recovery()).isNull();
        }
    }

    /**
     * Group commit: a record is forced to disk before the store acknowledges it, tells a listener
     * (which may gossip it onward) or returns; a batch is forced once, as a whole.
     */
    @Test
    void acceptedRecordsAreOnDiskBeforeAnyoneHearsOfThem(@TempDir Path dir) {
        Path f = dir.resolve("records.log");
        try (RecordStore s = RecordStore.open(f, 1024)) {
            List<Long> durableWhenHeard = new ArrayList<>();
            s.addListener(r -> durableWhenHeard.add(s.durableEntries()));
            s.put(rec("a", 1));
            assertThat(durableWhenHeard).containsExactly(1L);
            assertThat(s.put(rec("a", 1)).outcome()).isEqualTo(PutResult.Outcome.DUPLICATE);
            List<PutResult> batch =
                    s.putAll(List.of(rec("b", 1), rec("c", 1), rec("a", 1), rec("d", 1)));
            assertThat(batch)
                    .extracting(PutResult::outcome)
                    .containsExactly(
                            PutResult.Outcome.ACCEPTED,
                            PutResult.Outcome.ACCEPTED,
                            PutResult.Outcome.DUPLICATE,
                            PutResult.Outcome.ACCEPTED);
            // the three of the batch were forced together before the first listener call
            assertThat(durableWhenHeard).containsExactly(1L, 4L, 4L, 4L);
            assertThat(s.durableEntries()).isEqualTo(4);
        }
        assertThat(new RecordStore().durableEntries()).isEqualTo(-1);
    }

    @Test
    void aFlippedByteFailsTheChecksum(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("records.log");
        try (RecordStore s = RecordStore.open(f, 1024)) {
            s.put(rec("a", 1));
        }
        byte[] b = Files.readAllBytes(f);
        b[b.length - 3] ^= 1;
        Files.write(f, b);
        try (RecordStore s = RecordStore.open(f, 1024)) {
            assertThat(s.size()).isZero();
            assertThat(s.recovery()).contains("an entry failing its checksum at offset 8");
        }
    }

    @Test
    void aForeignFileIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("records.log");
        Files.writeString(f, "not a log at all");
        assertThatThrownBy(() -> RecordStore.open(f, 1024))
                .isInstanceOf(RecordException.class)
                .hasMessage(
                        "record log "
                                + f
                                + " does not start with IPDMREC1; it is not an IPDM record log"
                                + " (move it away: peers resend the records)");
    }

    @Test
    void supersededVersionsAreCompactedAway(@TempDir Path dir) {
        Path f = dir.resolve("records.log");
        try (RecordStore s = RecordStore.open(f, 1024)) {
            for (int v = 1; v <= 1_100; v++) {
                s.put(rec("counter", v));
            }
        }
        try (RecordStore s = RecordStore.open(f, 1024)) {
            assertThat(s.size()).isEqualTo(1);
        }
        // reopening a log of 1,100 entries for 1 live record rewrote it
        List<byte[]> entries = new ArrayList<>();
        RecordLog.open(f, 4096, entries::add).close();
        assertThat(entries).hasSize(1);
    }

    @Test
    void listenersHearAcceptedRecordsOnly() {
        RecordStore s = new RecordStore();
        List<String> heard = new ArrayList<>();
        s.addListener(r -> heard.add(r.keyText() + " v" + r.version()));
        s.put(rec("k", 2));
        s.put(rec("k", 1));
        s.put(rec("k", 2));
        s.put(rec("k", 3));
        assertThat(heard).containsExactly("k v2", "k v3");
    }
}
