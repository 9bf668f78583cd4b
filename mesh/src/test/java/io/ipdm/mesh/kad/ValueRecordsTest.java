package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * /pk and /ipns value records: valid ones stored and served, the better IPNS record kept, forged,
 * expired, inconsistent, oversized and foreign-namespace records refused with the reason. The IPNS
 * records are built here by hand from the IPNS spec (protobuf, DAG-CBOR data, signatureV2).
 */
class ValueRecordsTest {
    private static final long NOW = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();
    private final Ed25519KeyPair key = Ed25519KeyPair.generate();
    private final ValueRecords store = new ValueRecords(100, 16 * 1024, 48 * 3600_000L);

    private static byte[] concat(String prefix, byte[] b) {
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(p, p.length + b.length);
        System.arraycopy(b, 0, out, p.length, b.length);
        return out;
    }

    private byte[] ipnsKey() {
        return concat("/ipns/", key.peerId().toBytes());
    }

    // --- a minimal DAG-CBOR writer: map keys in DAG-CBOR order (shorter first, then bytewise)
    private static void head(ByteArrayOutputStream o, int major, long v) {
        if (v < 24) {
            o.write((major << 5) | (int) v);
        } else if (v < 256) {
            o.write((major << 5) | 24);
            o.write((int) v);
        } else {
            o.write((major << 5) | 27);
            for (int i = 7; i >= 0; i--) {
                o.write((int) (v >>> (8 * i)));
            }
        }
    }

    private static void text(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        head(o, 3, b.length);
        o.writeBytes(b);
    }

    private static void bytes(ByteArrayOutputStream o, byte[] b) {
        head(o, 2, b.length);
        o.writeBytes(b);
    }

    private static byte[] data(byte[] value, String validity, long seq, long ttl) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        head(o, 5, 5);
        text(o, "TTL");
        head(o, 0, ttl);
        text(o, "Value");
        bytes(o, value);
        text(o, "Sequence");
        head(o, 0, seq);
        text(o, "Validity");
        bytes(o, validity.getBytes(StandardCharsets.US_ASCII));
        text(o, "ValidityType");
        head(o, 0, 0);
        return o.toByteArray();
    }

    private byte[] ipns(long seq, String validity, boolean v1Fields, boolean forge) {
        byte[] value = "/ipfs/bafkqaaa".getBytes(StandardCharsets.US_ASCII);
        byte[] data = data(value, validity, seq, 3_600_000_000_000L);
        byte[] signed = concat("ipns-signature:", data);
        byte[] sig = key.sign(signed);
        if (forge) {
            sig[0] ^= 1;
        }
        ProtoWriter w = new ProtoWriter();
        if (v1Fields) {
            w.bytes(1, value)
                    .uint64(3, 0)
                    .bytes(4, validity.getBytes(StandardCharsets.US_ASCII))
                    .uint64(5, seq);
        }
        w.bytes(8, sig).bytes(9, data);
        return ValueRecords.encodeRecord(ipnsKey(), w.toByteArray());
    }

    @Test
    void aPublicKeyRecordIsStoredAndServedOnlyUnderItsOwnPeerId() {
        byte[] pk = concat("/pk/", key.peerId().toBytes());
        byte[] rec = ValueRecords.encodeRecord(pk, key.publicKey().toProtobuf());
        assertThat(store.put(pk, rec, NOW)).isTrue();
        assertThat(store.get(pk, NOW)).isEqualTo(rec);

        byte[] other = concat("/pk/", Ed25519KeyPair.generate().peerId().toBytes());
        assertThatThrownBy(
                        () ->
                                store.put(
                                        other,
                                        ValueRecords.encodeRecord(
                                                other, key.publicKey().toProtobuf()),
                                        NOW))
                .hasMessageStartingWith("/pk record's key does not hash to");
        assertThatThrownBy(() -> store.put(other, rec, NOW))
                .hasMessage("the record's key is not the message's key");
        assertThat(store.get(other, NOW)).isNull();
    }

    @Test
    void recordsWeCreateAreStoredAndAHandBuiltHigherSequenceReplacesThem() {
        byte[] k = ipnsKey();
        byte[] ours =
                ValueRecords.encodeRecord(
                        k,
                        io.ipdm.mesh.ipns.IpnsRecord.create(
                                        key,
                                        "/ipfs/bafkqaaa",
                                        Instant.parse("2027-01-01T00:00:00Z"),
                                        3,
                                        java.time.Duration.ofMinutes(5))
                                .entry());
        assertThat(store.put(k, ours, NOW)).isTrue();
        assertThat(store.get(k, NOW)).isEqualTo(ours);
        assertThat(store.put(k, ipns(2, "2027-06-01T00:00:00Z", true, false), NOW)).isFalse();
        assertThat(store.put(k, ipns(4, "2027-01-01T00:00:00Z", true, false), NOW)).isTrue();
    }

    @Test
    void theHigherIpnsSequenceWinsAndALowerOneIsKeptOut() {
        byte[] k = ipnsKey();
        byte[] r5 = ipns(5, "2027-01-01T00:00:00.000000000Z", true, false);
        assertThat(store.put(k, r5, NOW)).isTrue();
        assertThat(store.put(k, ipns(4, "2027-06-01T00:00:00.000000000Z", true, false), NOW))
                .isFalse();
        assertThat(store.get(k, NOW)).isEqualTo(r5);
        byte[] r6 = ipns(6, "2027-01-01T00:00:00.000000000Z", false, false);
        assertThat(store.put(k, r6, NOW)).isTrue();
        assertThat(store.get(k, NOW)).isEqualTo(r6);
        // stored no longer than its validity
        assertThat(store.get(k, Instant.parse("2027-01-01T00:00:01Z").toEpochMilli())).isNull();
    }

    @Test
    void forgedExpiredInconsistentAndForeignRecordsAreRefused() {
        byte[] k = ipnsKey();
        assertThatThrownBy(() -> store.put(k, ipns(1, "2027-01-01T00:00:00Z", true, true), NOW))
                .hasMessageStartingWith("IPNS signatureV2 does not verify for");
        assertThatThrownBy(() -> store.put(k, ipns(1, "2026-12-01T00:00:00Z", true, false), NOW))
                .hasMessage("IPNS record expired at 2026-12-01T00:00:00Z");
        // the signed data says sequence 2, the protobuf says 3
        byte[] data = data(new byte[] {1}, "2027-01-01T00:00:00Z", 2, 1);
        byte[] entry =
                new ProtoWriter()
                        .uint64(5, 3)
                        .bytes(8, key.sign(concat("ipns-signature:", data)))
                        .bytes(9, data)
                        .toByteArray();
        assertThatThrownBy(() -> store.put(k, ValueRecords.encodeRecord(k, entry), NOW))
                .hasMessage("IPNS Sequence differs between protobuf and data");
        // someone else's key signing for this name
        Ed25519KeyPair mallory = Ed25519KeyPair.generate();
        byte[] entry2 =
                new ProtoWriter()
                        .bytes(7, mallory.publicKey().toProtobuf())
                        .bytes(8, mallory.sign(concat("ipns-signature:", data)))
                        .bytes(9, data)
                        .toByteArray();
        assertThatThrownBy(() -> store.put(k, ValueRecords.encodeRecord(k, entry2), NOW))
                .hasMessage("IPNS pubKey is not the name's key");
        // truncated CBOR
        byte[] cut = Arrays.copyOf(data, data.length - 3);
        byte[] entry3 =
                new ProtoWriter()
                        .bytes(8, key.sign(concat("ipns-signature:", cut)))
                        .bytes(9, cut)
                        .toByteArray();
        assertThatThrownBy(() -> store.put(k, ValueRecords.encodeRecord(k, entry3), NOW))
                .hasMessageStartingWith("IPNS data: CBOR");
        byte[] big = new byte[20_000];
        assertThatThrownBy(() -> store.put(k, ValueRecords.encodeRecord(k, big), NOW))
                .hasMessageContaining("exceeds 16384");
        byte[] foreign = "/v/anything".getBytes(StandardCharsets.US_ASCII);
        ValueRecords.InvalidRecord e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        ValueRecords.InvalidRecord.class,
                        () ->
                                store.put(
                                        foreign,
                                        ValueRecords.encodeRecord(foreign, new byte[] {1}),
                                        NOW));
        assertThat(e).hasMessage("no validator for namespace /v (accepted: /pk, /ipns)");
        assertThat(e.misbehaviour).isFalse();
        assertThat(store.size()).isZero();
    }
}
