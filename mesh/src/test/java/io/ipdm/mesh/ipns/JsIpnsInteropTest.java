package io.ipdm.mesh.ipns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IPNS records against the npm {@code ipns} package (js-ipns, what js kad-dht and Helia validate
 * with): ours pass its {@code ipnsValidator} and read back the same through {@code
 * unmarshalIPNSRecord}; for the same key and fields both sides produce the same bytes; records js
 * creates ({@code createIPNSRecord}) are verified and ranked by us as its {@code ipnsSelector}
 * ranks them; hostile records (bad signature, expired, oversized, another name's) are refused by
 * both, with our reason. Skips when node or the npm modules are missing ({@code
 * .ci/setup.d/mesh.sh}).
 */
class JsIpnsInteropTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String VALUE =
            "/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    private static JsPeer js;

    @BeforeAll
    static void start() throws Exception {
        js = JsPeer.start(JsPeer.Service.IPNS);
    }

    @AfterAll
    static void stop() {
        if (js != null) {
            js.close();
        }
    }

    @Test
    void ourRecordsPassJsIpnsValidatorAndReadTheSame() {
        Ed25519KeyPair key = Ed25519KeyPair.generate();
        Instant eol = Instant.now().plus(Duration.ofHours(1)).plusNanos(123_456_789);
        IpnsRecord r = IpnsRecord.create(key, VALUE, eol, 5, Duration.ofMinutes(5));
        JsonNode read = check(key.peerId(), r.entry());
        assertThat(read.get("value").asText()).isEqualTo(VALUE);
        assertThat(read.get("sequence").asText()).isEqualTo("5");
        assertThat(read.get("validity").asText()).isEqualTo(IpnsRecord.formatValidity(eol));
        assertThat(read.get("ttl").asText()).isEqualTo("300000000000");
        assertThat(read.get("v1").asBoolean()).isTrue();
        // a large sequence and a zero TTL survive too (js reads them as bigints)
        IpnsRecord big = IpnsRecord.create(key, VALUE, eol, Long.MAX_VALUE, Duration.ZERO);
        JsonNode readBig = check(key.peerId(), big.entry());
        assertThat(readBig.get("sequence").asText()).isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(readBig.get("ttl").asText()).isEqualTo("0");
    }

    @Test
    void theSameKeyAndFieldsGiveTheSameBytesAsJs() {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i + 1);
        }
        String expiration = "2030-01-01T00:00:00.123456789Z";
        JsonNode made =
                js.call(
                        "ipns-create",
                        T,
                        "seed",
                        b64(seed),
                        "value",
                        VALUE,
                        "seq",
                        7,
                        "expiration",
                        expiration,
                        "ttlNs",
                        "60000000000");
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seed);
        assertThat(PeerId.parse(made.get("name").asText())).isEqualTo(key.peerId());
        assertThat(unb64(made.get("key").asText())).isEqualTo(IpnsRecord.routingKey(key.peerId()));
        IpnsRecord ours =
                IpnsRecord.create(key, VALUE, Instant.parse(expiration), 7, Duration.ofSeconds(60));
        assertThat(b64(ours.entry())).isEqualTo(made.get("record").asText());
    }

    @Test
    void recordsJsCreatesAreVerifiedAndRankedAsJsRanksThem() {
        byte[] seed = new byte[32];
        seed[0] = 42;
        PeerId name = Ed25519KeyPair.fromSeed(seed).peerId();
        JsonNode seq1 = create(seed, 1, 3_600_000, true);
        JsonNode seq2 = create(seed, 2, 600_000, false);
        JsonNode seq2Later = create(seed, 2, 7_200_000, true);
        long now = System.currentTimeMillis();
        IpnsRecord r1 = IpnsRecord.verify(name, unb64(seq1.get("record").asText()), now);
        IpnsRecord r2 = IpnsRecord.verify(name, unb64(seq2.get("record").asText()), now);
        IpnsRecord r2Later = IpnsRecord.verify(name, unb64(seq2Later.get("record").asText()), now);
        assertThat(r1.value()).isEqualTo(VALUE);
        assertThat(r1.sequence()).isEqualTo(1);
        assertThat(r1.ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(r2.sequence()).isEqualTo(2);
        assertThat(r1.validity().toString())
                .isEqualTo(Instant.parse(seq1.get("validity").asText()).toString());
        // V2-only (v1Compatible: false) carries no V1 copies and is still valid
        assertThat(r2.entry()).hasSizeLessThan(r1.entry().length);
        // the higher sequence wins over a longer validity; then the longer validity wins
        assertThat(r2.betterThan(r1)).isTrue();
        assertThat(r1.betterThan(r2)).isFalse();
        assertThat(r2Later.betterThan(r2)).isTrue();
        assertThat(r2.betterThan(r2Later)).isFalse();
        byte[] key = IpnsRecord.routingKey(name);
        assertThat(select(key, seq1, seq2)).isEqualTo(1);
        assertThat(select(key, seq2, seq1)).isZero();
        assertThat(select(key, seq2, seq2Later)).isEqualTo(1);
        assertThat(select(key, seq2Later, seq2)).isZero();
    }

    @Test
    void hostileRecordsAreRefusedByBothWithOurReason() {
        Ed25519KeyPair key = Ed25519KeyPair.generate();
        Instant eol = Instant.now().plus(Duration.ofHours(1));
        long now = System.currentTimeMillis();
        byte[] good = IpnsRecord.create(key, VALUE, eol, 1, Duration.ZERO).entry();

        byte[] forged = good.clone();
        forged[forged.length - 40] ^= 1; // inside data: signatureV2 no longer covers it
        assertRefused(key.peerId(), forged, now, "IPNS signatureV2 does not verify for");

        byte[] expired =
                IpnsRecord.create(key, VALUE, Instant.ofEpochMilli(now - 1000), 1, Duration.ZERO)
                        .entry();
        assertRefused(key.peerId(), expired, now, "IPNS record expired at");

        byte[] oversized =
                concat(good, new ProtoWriter().bytes(15, new byte[11_000]).toByteArray());
        assertRefused(key.peerId(), oversized, now, "IPNS record of 11");

        PeerId other = Ed25519KeyPair.generate().peerId();
        assertRefused(other, good, now, "IPNS signatureV2 does not verify for " + other);
    }

    private static void assertRefused(PeerId name, byte[] entry, long now, String ours) {
        assertThatThrownBy(() -> IpnsRecord.verify(name, entry, now))
                .isInstanceOf(IpnsException.class)
                .hasMessageStartingWith(ours);
        assertThatThrownBy(() -> check(name, entry))
                .as("js ipnsValidator refuses it too")
                .hasMessageStartingWith("js peer failed 'ipns-check'");
    }

    private static JsonNode check(PeerId name, byte[] entry) {
        return js.call(
                "ipns-check", T, "key", b64(IpnsRecord.routingKey(name)), "record", b64(entry));
    }

    private static JsonNode create(byte[] seed, long seq, long lifetimeMs, boolean v1) {
        return js.call(
                "ipns-create",
                T,
                "seed",
                b64(seed),
                "value",
                VALUE,
                "seq",
                seq,
                "lifetimeMs",
                lifetimeMs,
                "v1Compatible",
                v1);
    }

    private static int select(byte[] key, JsonNode... records) {
        List<String> recs =
                java.util.Arrays.stream(records).map(r -> r.get("record").asText()).toList();
        return js.call("ipns-select", T, "key", b64(key), "records", recs).get("index").asInt();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] unb64(String s) {
        return Base64.getDecoder().decode(s);
    }
}
