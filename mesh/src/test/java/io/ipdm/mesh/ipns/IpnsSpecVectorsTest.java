package io.ipdm.mesh.ipns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Vectors derived from the text of the IPNS record spec (specs.ipfs.tech/ipns/ipns-record): the
 * bytes of a record made with the RFC 8032 test key 1, written out here field by field from the
 * spec rather than read back from our encoder; signatures checked with the JDK's own Ed25519; and
 * the spec's six verification cases (V1-only, V1+V2, V1/V2 value mismatch, broken V2, broken V1,
 * V2-only) rebuilt with that key, plus extensible data, size limit, validity and selection.
 */
class IpnsSpecVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 section 7.1, test 1. */
    private static final Ed25519KeyPair KEY =
            Ed25519KeyPair.fromSeed(
                    HEX.parseHex(
                            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

    private static final String PUBLIC =
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String VALUE = "/ipfs/bafkqaddwgevxmmraojswg33smq";
    private static final String VALIDITY = "2126-01-01T00:00:00.000000000Z";
    private static final long NOW = Instant.parse("2026-12-06T00:00:00Z").toEpochMilli();

    @Test
    void theNameAndRoutingKeyAreTheInlinedKeysIdentityMultihash() {
        // PublicKey protobuf {Type: Ed25519 (1), Data: 32 bytes} = 08 01 12 20 <key>;
        // identity multihash = 00 <length 0x24> <protobuf>; routing key = "/ipns/" (2f69706e732f)
        assertThat(HEX.formatHex(KEY.publicKey().data())).isEqualTo(PUBLIC);
        String multihash = "00" + "24" + "08011220" + PUBLIC;
        assertThat(HEX.formatHex(KEY.peerId().toBytes())).isEqualTo(multihash);
        assertThat(HEX.formatHex(IpnsRecord.routingKey(KEY.peerId())))
                .isEqualTo("2f69706e732f" + multihash);
        // the libp2p-key CID (codec 0x72) of the name: CIDv1 01 72 <multihash>
        assertThat(KEY.peerId().toCidString()).startsWith("bafz");
        assertThat(IpnsRecord.parseName(KEY.peerId().toCidString())).isEqualTo(KEY.peerId());
    }

    @Test
    void aV1PlusV2RecordIsTheSpecsBytes() throws Exception {
        IpnsRecord r =
                IpnsRecord.create(
                        KEY, VALUE, Instant.parse(VALIDITY), 3, Duration.ofNanos(300_000_000_000L));
        // data: DAG-CBOR map of 5, keys sorted length first then bytewise (RFC 7049 canonical)
        String data =
                "a5"
                        + "63"
                        + hex("TTL")
                        + "1b00000045d964b800" // 300 000 000 000 ns, 8-byte argument
                        + "65"
                        + hex("Value")
                        + "58"
                        + String.format("%02x", VALUE.length())
                        + hex(VALUE)
                        + "68"
                        + hex("Sequence")
                        + "03"
                        + "68"
                        + hex("Validity")
                        + "58"
                        + String.format("%02x", VALIDITY.length())
                        + hex(VALIDITY)
                        + "6c"
                        + hex("ValidityType")
                        + "00";
        byte[] sigV1 = IpnsRecordTest.field(r.entry(), 2);
        byte[] sigV2 = IpnsRecordTest.field(r.entry(), 8);
        // IpnsEntry: value (1), signatureV1 (2), validityType (3), validity (4), sequence (5),
        // ttl (6), signatureV2 (8), data (9); no pubKey (7) for an inlined Ed25519 key
        String entry =
                "0a"
                        + String.format("%02x", VALUE.length())
                        + hex(VALUE)
                        + "1240"
                        + HEX.formatHex(sigV1)
                        + "1800"
                        + "22"
                        + String.format("%02x", VALIDITY.length())
                        + hex(VALIDITY)
                        + "2803"
                        + "30"
                        + "80f092cbdd08" // 300 000 000 000 as a protobuf varint
                        + "4240"
                        + HEX.formatHex(sigV2)
                        + "4a"
                        + String.format("%02x", data.length() / 2)
                        + data;
        assertThat(HEX.formatHex(r.entry())).isEqualTo(entry);
        // signatureV2 over "ipns-signature:" (69706e732d7369676e61747572653a) || data
        assertThat(jdkVerify(HEX.parseHex("69706e732d7369676e61747572653a" + data), sigV2))
                .isTrue();
        // signatureV1 over value || validity || "EOL" (the ValidityType's name)
        assertThat(jdkVerify((VALUE + VALIDITY + "EOL").getBytes(StandardCharsets.US_ASCII), sigV1))
                .isTrue();
        IpnsRecord back = IpnsRecord.verify(KEY.peerId(), r.entry(), NOW);
        assertThat(back.value()).isEqualTo(VALUE);
        assertThat(back.sequence()).isEqualTo(3);
        assertThat(back.ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(back.validity()).isEqualTo(Instant.parse(VALIDITY));
    }

    @Test
    void theSpecsSixVerificationCases() {
        byte[] data = data(VALUE, VALIDITY, 0, 0, null);
        byte[] sigV2 = KEY.sign(concat(prefix(), data));
        byte[] sigV1 = KEY.sign((VALUE + VALIDITY + "EOL").getBytes(StandardCharsets.US_ASCII));
        // 1. V1-only: invalid
        byte[] v1Only = v1Fields(VALUE, sigV1).toByteArray();
        assertThatThrownBy(() -> IpnsRecord.verify(KEY.peerId(), v1Only, NOW))
                .hasMessage(
                        "IPNS record without signatureV2 and data (a V1-only record is not"
                                + " valid)");
        // 2. V1+V2, both signatures valid: valid
        byte[] both = v1Fields(VALUE, sigV1).bytes(8, sigV2).bytes(9, data).toByteArray();
        assertThat(IpnsRecord.verify(KEY.peerId(), both, NOW).value()).isEqualTo(VALUE);
        // 3. both valid, but 'value' differs between the V1 protobuf and the V2 CBOR: invalid
        String other = "/ipfs/bafkqahtwgevxmmrao5uxi2bamjzg623fnyqhg2lhnzqxi5lsmuqhmmi";
        byte[] otherV1 = KEY.sign((other + VALIDITY + "EOL").getBytes(StandardCharsets.US_ASCII));
        byte[] mismatch = v1Fields(other, otherV1).bytes(8, sigV2).bytes(9, data).toByteArray();
        assertThatThrownBy(() -> IpnsRecord.verify(KEY.peerId(), mismatch, NOW))
                .hasMessage("IPNS Value differs between protobuf and data");
        // 4. only signatureV1 valid: invalid
        byte[] brokenV2Sig = sigV2.clone();
        brokenV2Sig[0] ^= 1;
        byte[] brokenV2 = v1Fields(VALUE, sigV1).bytes(8, brokenV2Sig).bytes(9, data).toByteArray();
        assertThatThrownBy(() -> IpnsRecord.verify(KEY.peerId(), brokenV2, NOW))
                .hasMessage("IPNS signatureV2 does not verify for " + KEY.peerId());
        // 5. only signatureV2 valid: valid (signatureV1 is never used)
        byte[] brokenV1Sig = sigV1.clone();
        brokenV1Sig[0] ^= 1;
        byte[] brokenV1 = v1Fields(VALUE, brokenV1Sig).bytes(8, sigV2).bytes(9, data).toByteArray();
        assertThat(IpnsRecord.verify(KEY.peerId(), brokenV1, NOW).value()).isEqualTo(VALUE);
        // 6. V2-only (no V1 fields): valid
        byte[] v2Only = new ProtoWriter().bytes(8, sigV2).bytes(9, data).toByteArray();
        IpnsRecord r = IpnsRecord.verify(KEY.peerId(), v2Only, NOW);
        assertThat(r.value()).isEqualTo(VALUE);
        assertThat(r.ttl()).isEqualTo(Duration.ZERO);
    }

    @Test
    void everyV1CopyPresentMustMatchData() {
        // value and sequence match, ttl says 0 while data says 5 minutes
        byte[] data = data(VALUE, VALIDITY, 0, 300_000_000_000L, null);
        byte[] entry =
                new ProtoWriter()
                        .bytes(1, VALUE.getBytes(StandardCharsets.UTF_8))
                        .uint64(3, 0)
                        .bytes(4, VALIDITY.getBytes(StandardCharsets.US_ASCII))
                        .uint64(5, 0)
                        .uint64(6, 0)
                        .bytes(8, KEY.sign(concat(prefix(), data)))
                        .bytes(9, data)
                        .toByteArray();
        assertThatThrownBy(() -> IpnsRecord.verify(KEY.peerId(), entry, NOW))
                .hasMessage("IPNS TTL differs between protobuf and data");
    }

    @Test
    void unexpectedDataFieldsAreIgnoredButStrictDagCborIsRequired() {
        // "_ext": {"l": [1, -2, true, null, 1.5 (float64), CID as tag 42]}: ignored, as the spec
        // asks
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ext.writeBytes(HEX.parseHex("a1" + "61" + hex("l") + "86" + "01" + "21" + "f5" + "f6"));
        ext.writeBytes(HEX.parseHex("fb3ff8000000000000"));
        ext.writeBytes(HEX.parseHex("d82a" + "4500" + "0155" + "0000"));
        IpnsRecord r = v2(data(VALUE, VALIDITY, 1, 0, ext.toByteArray()));
        assertThat(r.value()).isEqualTo(VALUE);
        assertThat(r.sequence()).isEqualTo(1);

        // the same key twice would let two readers see two values
        byte[] twice =
                HEX.parseHex(
                        HEX.formatHex(data(VALUE, VALIDITY, 1, 0, null)).replaceFirst("^a5", "a6")
                                + "65"
                                + hex("Value")
                                + "45"
                                + hex("/ipns"));
        assertThatThrownBy(() -> v2(twice)).hasMessage("IPNS data has the key Value twice");
        // Sequence 5 written with a 1-byte argument (18 05) instead of 05
        byte[] loose =
                HEX.parseHex(
                        HEX.formatHex(data(VALUE, VALIDITY, 5, 0, null))
                                .replace(hex("Sequence") + "05", hex("Sequence") + "1805"));
        assertThatThrownBy(() -> v2(loose))
                .hasMessageStartingWith("IPNS data: CBOR argument 5 not in its shortest form");
        // an indefinite-length map as a sixth field
        byte[] withIndef =
                HEX.parseHex(
                        "a6"
                                + HEX.formatHex(data(VALUE, VALIDITY, 1, 0, null)).substring(2)
                                + "61"
                                + hex("i")
                                + "bfff");
        assertThatThrownBy(() -> v2(withIndef))
                .hasMessageContaining("indefinite or reserved CBOR length");
        // a tag other than 42
        byte[] tagged =
                HEX.parseHex(
                        "a6"
                                + HEX.formatHex(data(VALUE, VALIDITY, 1, 0, null)).substring(2)
                                + "61"
                                + hex("t")
                                + "c1"
                                + "00");
        assertThatThrownBy(() -> v2(tagged))
                .hasMessage("IPNS data: CBOR tag 1 (DAG-CBOR allows 42)");
        // Value as text instead of bytes
        byte[] textValue =
                HEX.parseHex(
                        HEX.formatHex(data(VALUE, VALIDITY, 1, 0, null))
                                .replace(
                                        hex("Value") + "58" + String.format("%02x", VALUE.length()),
                                        hex("Value")
                                                + "78"
                                                + String.format("%02x", VALUE.length())));
        assertThatThrownBy(() -> v2(textValue)).hasMessageStartingWith("IPNS data lacks Value");
    }

    @Test
    void tenKibIsTheLimitBeforeAnythingIsParsed() {
        byte[] at = sized(IpnsRecord.MAX_RECORD_BYTES);
        assertThat(at).hasSize(10 * 1024);
        assertThat(IpnsRecord.verify(KEY.peerId(), at, NOW).value()).isEqualTo(VALUE);
        byte[] over = sized(IpnsRecord.MAX_RECORD_BYTES + 1);
        assertThatThrownBy(() -> IpnsRecord.verify(KEY.peerId(), over, NOW))
                .hasMessage("IPNS record of 10241 bytes exceeds 10240");
    }

    @Test
    void validityIsRfc3339WithNanosecondsAndMustBeAfterNow() {
        assertThat(IpnsRecord.formatValidity(Instant.parse("2027-01-01T00:00:00Z")))
                .isEqualTo("2027-01-01T00:00:00.000000000Z");
        assertThat(IpnsRecord.formatValidity(Instant.parse("1970-01-01T00:00:00.000000001Z")))
                .isEqualTo("1970-01-01T00:00:00.000000001Z");
        assertThat(parse("1970-01-01T00:00:00.000000001Z")).isEqualTo(Instant.ofEpochSecond(0, 1));
        assertThat(parse("2027-01-01t01:00:00.5+01:00"))
                .isEqualTo(Instant.parse("2027-01-01T00:00:00.5Z"));
        assertThat(parse("2027-01-01T00:00:00z")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThatThrownBy(() -> parse("2027-01-01 00:00:00Z"))
                .hasMessageStartingWith(
                        "IPNS Validity '2027-01-01 00:00:00Z' is not an RFC 3339 date-time");
        // valid one millisecond after now; now, or within now's millisecond, is past
        Instant now = Instant.ofEpochMilli(NOW);
        assertThat(v2(data(VALUE, IpnsRecord.formatValidity(now.plusMillis(1)), 0, 0, null)))
                .isNotNull();
        assertThatThrownBy(() -> v2(data(VALUE, IpnsRecord.formatValidity(now), 0, 0, null)))
                .hasMessage("IPNS record expired at " + now);
        Instant within = now.plusNanos(999_999);
        assertThatThrownBy(() -> v2(data(VALUE, IpnsRecord.formatValidity(within), 0, 0, null)))
                .hasMessage("IPNS record expired at " + within);
        assertThatThrownBy(() -> v2(data(VALUE, VALIDITY, 1, 0, null).clone(), 1))
                .hasMessage("IPNS ValidityType 1 is unknown (0: EOL)");
    }

    @Test
    void selectionPrefersTheHigherSequenceThenTheLongerValidity() {
        Instant eol = Instant.parse(VALIDITY);
        IpnsRecord seq2 = IpnsRecord.create(KEY, VALUE, eol.minusSeconds(3600), 2, Duration.ZERO);
        IpnsRecord seq1 = IpnsRecord.create(KEY, VALUE, eol, 1, Duration.ZERO);
        IpnsRecord seq1Later = IpnsRecord.create(KEY, VALUE, eol.plusNanos(1), 1, Duration.ZERO);
        assertThat(seq2.betterThan(seq1)).isTrue();
        assertThat(seq1.betterThan(seq2)).isFalse();
        assertThat(seq1Later.betterThan(seq1)).isTrue();
        assertThat(seq1.betterThan(seq1Later)).isFalse();
        assertThat(seq1.betterThan(IpnsRecord.create(KEY, "/ipfs/x", eol, 1, Duration.ZERO)))
                .as("equal sequence and validity: the held record stays")
                .isFalse();
    }

    @Test
    void theKeyComesFromTheNameOrAMatchingPubKey() {
        Ed25519KeyPair other = Ed25519KeyPair.fromSeed(new byte[32]);
        byte[] data = data(VALUE, VALIDITY, 0, 0, null);
        byte[] sig = KEY.sign(concat(prefix(), data));
        byte[] wrongPub =
                new ProtoWriter()
                        .bytes(7, other.publicKey().toProtobuf())
                        .bytes(8, sig)
                        .bytes(9, data)
                        .toByteArray();
        assertThatThrownBy(() -> IpnsRecord.verify(KEY.peerId(), wrongPub, NOW))
                .hasMessage("IPNS pubKey is not the name's key");
        byte[] samePub =
                new ProtoWriter()
                        .bytes(7, KEY.publicKey().toProtobuf())
                        .bytes(8, sig)
                        .bytes(9, data)
                        .toByteArray();
        assertThat(IpnsRecord.verify(KEY.peerId(), samePub, NOW).value()).isEqualTo(VALUE);
        // a sha2-256 name (as for RSA keys) carries no key: without pubKey nothing to verify with
        byte[] sha = HEX.parseHex("1220" + "00".repeat(32));
        PeerId hashed = PeerId.fromBytes(sha);
        byte[] noPub = new ProtoWriter().bytes(8, sig).bytes(9, data).toByteArray();
        assertThatThrownBy(() -> IpnsRecord.verify(hashed, noPub, NOW))
                .hasMessageStartingWith("IPNS record without a public key for " + hashed);
    }

    // --- helpers: records assembled from the spec's field list

    private static IpnsRecord v2(byte[] data) {
        return IpnsRecord.verify(
                KEY.peerId(),
                new ProtoWriter()
                        .bytes(8, KEY.sign(concat(prefix(), data)))
                        .bytes(9, data)
                        .toByteArray(),
                NOW);
    }

    /** A V2 record whose data has ValidityType {@code validityType}. */
    private static IpnsRecord v2(byte[] data, int validityType) {
        String h = HEX.formatHex(data);
        return v2(
                HEX.parseHex(
                        h.replace(
                                hex("ValidityType") + "00",
                                hex("ValidityType") + String.format("%02x", validityType))));
    }

    private static ProtoWriter v1Fields(String value, byte[] sigV1) {
        return new ProtoWriter()
                .bytes(1, value.getBytes(StandardCharsets.UTF_8))
                .bytes(2, sigV1)
                .uint64(3, 0)
                .bytes(4, VALIDITY.getBytes(StandardCharsets.US_ASCII))
                .uint64(5, 0)
                .uint64(6, 0);
    }

    /** A V2-only record of exactly {@code size} bytes, padded with an ignored "_pad" field. */
    private static byte[] sized(int size) {
        for (int pad = size - 300; pad < size; pad++) {
            byte[] padBytes = new byte[pad];
            ByteArrayOutputStream ext = new ByteArrayOutputStream();
            ext.writeBytes(HEX.parseHex("59" + String.format("%04x", pad)));
            ext.writeBytes(padBytes);
            byte[] data = data(VALUE, VALIDITY, 0, 0, ext.toByteArray(), "_pad");
            byte[] entry =
                    new ProtoWriter()
                            .bytes(8, KEY.sign(concat(prefix(), data)))
                            .bytes(9, data)
                            .toByteArray();
            if (entry.length == size) {
                return entry;
            }
        }
        throw new AssertionError("no padding gives " + size + " bytes");
    }

    private static byte[] data(String value, String validity, long seq, long ttl, byte[] ext) {
        return data(value, validity, seq, ttl, ext, "_ext");
    }

    /**
     * The data map written out from the spec: TTL, Value, Sequence, Validity, ValidityType
     * (DAG-CBOR order), plus {@code extName: ext} (an encoded item) when given; TTL and Sequence
     * below 2^32.
     */
    private static byte[] data(
            String value, String validity, long seq, long ttl, byte[] ext, String extName) {
        byte[] core = dataCore(value, validity, seq, ttl);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (ext == null) {
            o.write(0xa5);
            o.writeBytes(core);
            return o.toByteArray();
        }
        // a 4-byte key ("_ext", "_pad") sorts between TTL (3 bytes) and Value (5)
        int ttlEntry = 4 + uintLen(ttl);
        o.write(0xa6);
        o.write(core, 0, ttlEntry);
        o.writeBytes(HEX.parseHex("64" + hex(extName)));
        o.writeBytes(ext);
        o.write(core, ttlEntry, core.length - ttlEntry);
        return o.toByteArray();
    }

    /** The five entries without the map head. */
    private static byte[] dataCore(String value, String validity, long seq, long ttl) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(HEX.parseHex("63" + hex("TTL") + uint(ttl)));
        o.writeBytes(HEX.parseHex("65" + hex("Value") + bytesHead(value.length()) + hex(value)));
        o.writeBytes(HEX.parseHex("68" + hex("Sequence") + uint(seq)));
        o.writeBytes(
                HEX.parseHex(
                        "68" + hex("Validity") + bytesHead(validity.length()) + hex(validity)));
        o.writeBytes(HEX.parseHex("6c" + hex("ValidityType") + "00"));
        return o.toByteArray();
    }

    private static int uintLen(long v) {
        return v < 24 ? 1 : v < 0x100 ? 2 : v < 0x10000 ? 3 : v < 0x1_0000_0000L ? 5 : 9;
    }

    private static String uint(long v) {
        return v < 24
                ? String.format("%02x", v)
                : v < 0x100
                        ? String.format("18%02x", v)
                        : v < 0x10000
                                ? String.format("19%04x", v)
                                : v < 0x1_0000_0000L
                                        ? String.format("1a%08x", v)
                                        : String.format("1b%016x", v);
    }

    private static String bytesHead(int n) {
        return n < 24 ? String.format("%02x", 0x40 + n) : String.format("58%02x", n);
    }

    private static byte[] prefix() {
        return "ipns-signature:".getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Instant parse(String s) {
        return IpnsRecord.parseValidity(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Ed25519 verification by the JDK (SunEC), independent of the mesh's implementation. */
    private static boolean jdkVerify(byte[] message, byte[] sig) throws Exception {
        byte[] spki = HEX.parseHex("302a300506032b6570032100" + PUBLIC);
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(
                KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
        v.update(message);
        return v.verify(sig);
    }

    private static String hex(String s) {
        return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
