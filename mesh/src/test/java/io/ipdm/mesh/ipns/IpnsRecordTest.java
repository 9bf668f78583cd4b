package io.ipdm.mesh.ipns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.multiformats.protobuf.ProtoReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IPNS records we create: their layout per the spec, verification, and what is refused. */
class IpnsRecordTest {
    private static final Ed25519KeyPair KEY = Ed25519KeyPair.fromSeed(new byte[32]);
    private static final Instant EOL = Instant.parse("2027-01-01T00:00:00.123456789Z");
    private static final long NOW = Instant.parse("2026-12-06T00:00:00Z").toEpochMilli();
    private static final String PATH =
            "/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

    @Test
    void dataIsTheSpecsDagCborMapInCanonicalKeyOrder() {
        IpnsRecord r = IpnsRecord.create(KEY, PATH, EOL, 7, Duration.ofMinutes(5));
        byte[] data = field(r.entry(), 9);
        // a5 = map(5); keys in DAG-CBOR order (length first): TTL, Value, Sequence, Validity,
        // ValidityType; TTL 300 s in nanoseconds = 0x45d964b800 (8-byte argument, 0x1b)
        String hex = HexFormat.of().formatHex(data);
        assertThat(hex)
                .startsWith("a563" + hex("TTL") + "1b00000045d964b800" + "65" + hex("Value"));
        assertThat(hex)
                .endsWith(
                        "68"
                                + hex("Sequence")
                                + "07"
                                + "68"
                                + hex("Validity")
                                + "58"
                                + String.format("%02x", "2027-01-01T00:00:00.123456789Z".length())
                                + hex("2027-01-01T00:00:00.123456789Z")
                                + "6c"
                                + hex("ValidityType")
                                + "00");
        Map<String, Object> m = CborMap.decode(data);
        assertThat(m.get("Value")).isEqualTo(PATH.getBytes(StandardCharsets.UTF_8));
        assertThat(m.get("TTL")).isEqualTo(300_000_000_000L);
    }

    @Test
    void carriesTheV1FieldsAndBothSignaturesForOlderReaders() {
        IpnsRecord r = IpnsRecord.create(KEY, PATH, EOL, 7, Duration.ofMinutes(5));
        byte[] validity = "2027-01-01T00:00:00.123456789Z".getBytes(StandardCharsets.US_ASCII);
        assertThat(field(r.entry(), 1)).isEqualTo(PATH.getBytes(StandardCharsets.UTF_8));
        assertThat(field(r.entry(), 4)).isEqualTo(validity);
        byte[] v1Signed =
                (PATH + "2027-01-01T00:00:00.123456789Z" + "EOL")
                        .getBytes(StandardCharsets.US_ASCII);
        assertThat(KEY.publicKey().verify(v1Signed, field(r.entry(), 2))).isTrue();
        byte[] data = field(r.entry(), 9);
        byte[] v2Signed = new byte[15 + data.length];
        System.arraycopy("ipns-signature:".getBytes(StandardCharsets.US_ASCII), 0, v2Signed, 0, 15);
        System.arraycopy(data, 0, v2Signed, 15, data.length);
        assertThat(KEY.publicKey().verify(v2Signed, field(r.entry(), 8))).isTrue();
        assertThat(field(r.entry(), 7)).as("Ed25519 key is inlined in the name").isNull();
    }

    @Test
    void roundTripsThroughVerification() {
        IpnsRecord r = IpnsRecord.create(KEY, PATH, EOL, 1L << 40, Duration.ofHours(1));
        IpnsRecord back = IpnsRecord.verify(KEY.peerId(), r.entry(), NOW);
        assertThat(back.value()).isEqualTo(PATH);
        assertThat(back.sequence()).isEqualTo(1L << 40);
        assertThat(back.validity()).isEqualTo(EOL);
        assertThat(back.ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(back.name()).isEqualTo(KEY.peerId());
        assertThat(back).isEqualTo(r);
        assertThat(
                        IpnsRecord.create(KEY, PATH, EOL, 2, Duration.ZERO)
                                .betterThan(
                                        IpnsRecord.create(
                                                KEY, PATH, EOL.plusSeconds(9), 1, Duration.ZERO)))
                .isTrue();
    }

    @Test
    void refusesAnotherNamesRecordTamperingAndExpiry() {
        IpnsRecord r = IpnsRecord.create(KEY, PATH, EOL, 1, Duration.ZERO);
        Ed25519KeyPair other =
                Ed25519KeyPair.fromSeed(
                        new byte[] {
                            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
                        });
        assertThatThrownBy(() -> IpnsRecord.verify(other.peerId(), r.entry(), NOW))
                .hasMessageStartingWith("IPNS signatureV2 does not verify for");
        byte[] tampered = r.entry().clone();
        int at = indexOf(tampered, "bafkrei".getBytes(StandardCharsets.US_ASCII));
        tampered[at + 10] ^= 1; // the V1 value now differs from data
        assertThatThrownBy(() -> IpnsRecord.verify(KEY.peerId(), tampered, NOW))
                .hasMessage("IPNS Value differs between protobuf and data");
        assertThatThrownBy(() -> IpnsRecord.verify(KEY.peerId(), r.entry(), EOL.toEpochMilli()))
                .hasMessage("IPNS record expired at 2027-01-01T00:00:00.123456789Z");
        assertThatThrownBy(() -> IpnsRecord.create(KEY, "bafy", EOL, 1, Duration.ZERO))
                .hasMessageContaining("content path like /ipfs/CID");
        assertThatThrownBy(
                        () ->
                                IpnsRecord.create(
                                        KEY, "/ipfs/" + "a".repeat(11000), EOL, 1, Duration.ZERO))
                .hasMessageContaining("exceeds 10240");
    }

    @Test
    void namesParseAsPeerIdsInAnyTextForm() {
        var id = KEY.peerId();
        assertThat(IpnsRecord.parseName(id.toBase58())).isEqualTo(id);
        assertThat(IpnsRecord.parseName("/ipns/" + id.toCidString() + "/a/b")).isEqualTo(id);
        assertThat(IpnsRecord.routingKey(id))
                .startsWith("/ipns/".getBytes(StandardCharsets.US_ASCII))
                .endsWith(id.toBytes());
        assertThatThrownBy(() -> IpnsRecord.parseName("example.com"))
                .hasMessageStartingWith("'example.com' is not an IPNS name");
    }

    /** Field {@code n} (bytes) of a serialized IpnsEntry, or null. */
    static byte[] field(byte[] entry, int n) {
        ProtoReader r = new ProtoReader(entry, "IpnsEntry");
        while (r.next()) {
            if (r.field() == n) {
                return r.bytes();
            }
            r.skip();
        }
        return null;
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }
}
