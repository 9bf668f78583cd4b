package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.testutils.MutableClock;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.ipns.IpnsRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The republish timer on a simulated clock, over a real DHT (two nodes): nothing happens before the
 * interval, the timer asks for exactly the time left, at the interval the record is signed again
 * with sequence + 1 and a validity from the new time and the other node resolves it; the interval
 * is capped at half the lifetime so the record is renewed before it expires; a restarted service
 * keeps the schedule from its file; a republish no peer stored is retried after a minute.
 */
class NameServiceRepublishTest {
    @Test
    void republishesOnTheSimulatedClockBeforeTheRecordExpires(@TempDir Path dir) throws Exception {
        try (LakeNode a =
                        LakeNode.start(
                                NameServiceTest.config(dir.resolve("a"), List.of()),
                                IpfsNetwork::install);
                LakeNode b =
                        LakeNode.start(
                                NameServiceTest.config(dir.resolve("b"), a.mesh().addresses()),
                                IpfsNetwork::install)) {
            NameServiceTest.awaitRoutingTables(a, b);
            MutableClock clock =
                    new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli());
            Ed25519KeyPair key = Ed25519KeyPair.generate();
            Path file = dir.resolve("sim/ipns/self.properties");
            NameService names =
                    new NameService(
                            key,
                            a.names().dht(),
                            file,
                            clock,
                            Duration.ofSeconds(20),
                            Duration.ofMinutes(30));
            assertThat(names.republishIfDue()).as("nothing published: no timer").isNull();
            names.publish("/ipfs/bafkqaaa", Duration.ofHours(2), Duration.ofMinutes(1));
            assertThat(names.republishIfDue()).isEqualTo(Duration.ofMinutes(30));
            clock.advance(Duration.ofMinutes(29));
            assertThat(names.republishIfDue()).isEqualTo(Duration.ofMinutes(1));
            assertThat(b.names().resolve(key.peerId()).sequence()).isZero();

            clock.advance(Duration.ofMinutes(1));
            assertThat(names.republishIfDue()).isEqualTo(Duration.ofMinutes(30));
            IpnsRecord r = b.names().resolve(key.peerId());
            assertThat(r.sequence()).isEqualTo(1);
            assertThat(r.value()).isEqualTo("/ipfs/bafkqaaa");
            assertThat(r.ttl()).isEqualTo(Duration.ofMinutes(1));
            assertThat(r.validity()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));

            // a late wake-up (the node was asleep) republishes at once, from the time it woke
            clock.advance(Duration.ofMinutes(45));
            assertThat(names.republishIfDue()).isEqualTo(Duration.ofMinutes(30));
            assertThat(b.names().resolve(key.peerId()).sequence()).isEqualTo(2);

            // restarted with an interval longer than the lifetime allows: half the lifetime wins
            NameService again =
                    new NameService(
                            key,
                            a.names().dht(),
                            file,
                            clock,
                            Duration.ofSeconds(20),
                            Duration.ofHours(3));
            assertThat(again.republishDue()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
            clock.advance(Duration.ofHours(1));
            assertThat(again.republishIfDue()).isEqualTo(Duration.ofHours(1));
            IpnsRecord renewed = b.names().resolve(key.peerId());
            assertThat(renewed.sequence()).isEqualTo(3);
            assertThat(renewed.validity()).isAfter(r.validity());
        }
    }

    @Test
    void aRepublishNoPeerStoredIsRetriedAfterAMinute(@TempDir Path dir) throws Exception {
        try (LakeNode alone =
                LakeNode.start(
                        NameServiceTest.config(dir.resolve("a"), List.of()),
                        IpfsNetwork::install)) {
            MutableClock clock =
                    new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli());
            NameService names =
                    new NameService(
                            Ed25519KeyPair.generate(),
                            alone.names().dht(),
                            dir.resolve("sim.properties"),
                            clock,
                            Duration.ofSeconds(5),
                            Duration.ofHours(1));
            names.publish("/ipfs/bafkqaaa", Duration.ofHours(24), Duration.ZERO);
            clock.advance(Duration.ofHours(1));
            assertThat(names.republishIfDue()).isEqualTo(NameService.RETRY);
            assertThat(names.last().getProperty("sequence")).isEqualTo("1");
            clock.advance(Duration.ofSeconds(59));
            assertThat(names.republishIfDue()).isEqualTo(Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            names.republishIfDue();
            assertThat(names.last().getProperty("sequence")).isEqualTo("2");
        }
    }
}
