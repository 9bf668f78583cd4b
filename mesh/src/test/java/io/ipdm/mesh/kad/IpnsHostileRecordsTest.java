package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Hostile IPNS records at one DHT engine driven by hand at virtual time: a PUT_VALUE with a forged
 * signature, an expired record, an oversized one or another name's record is refused with the
 * reason and costs the sender {@link Kademlia#BOGUS_RECORD_POINTS} each, while the valid record is
 * stored and an older one is refused without penalty; a GET_VALUE answer with a forged record costs
 * the answering peer and is not the lookup's result.
 */
class IpnsHostileRecordsTest {
    private final SimNet.Clock clock = new SimNet.Clock();
    private final SplittableRandom random = new SplittableRandom(3);
    private final Ed25519KeyPair name = Ed25519KeyPair.fromSeed(new byte[32]);
    private final byte[] key = IpnsRecord.routingKey(name.peerId());

    private PeerId peer() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return Ed25519KeyPair.fromSeed(seed).peerId();
    }

    private IpnsRecord record(long seq, Duration validFor) {
        return IpnsRecord.create(
                name, "/ipfs/bafkqaaa", clock.instant().plus(validFor), seq, Duration.ZERO);
    }

    private static KadMessage put(byte[] key, byte[] entry) {
        return new KadMessage(
                KadMessage.Type.PUT_VALUE,
                key,
                ValueRecords.encodeRecord(key, entry),
                List.of(),
                List.of());
    }

    private static String refusal(InboundResult r) {
        assertThat(r).isInstanceOf(InboundResult.Refuse.class);
        return ((InboundResult.Refuse) r).reason();
    }

    @Test
    void hostilePutsAreRefusedWithTheReasonAndPenalized() {
        Kademlia kad = new Kademlia(peer(), KadConfig.defaults(), clock, random);
        PeerId hostile = peer();
        byte[] forged = record(1, Duration.ofHours(1)).entry();
        forged[forged.length - 20] ^= 1;
        assertThat(refusal(kad.onRequest(hostile, put(key, forged))))
                .isEqualTo(
                        "PUT_VALUE refused: IPNS signatureV2 does not verify for " + name.peerId());
        assertThat(kad.penalty(hostile)).isEqualTo(Kademlia.BOGUS_RECORD_POINTS);

        IpnsRecord expired = record(1, Duration.ofSeconds(-1));
        assertThat(refusal(kad.onRequest(hostile, put(key, expired.entry()))))
                .isEqualTo("PUT_VALUE refused: IPNS record expired at " + expired.validity());

        byte[] good = record(1, Duration.ofHours(1)).entry();
        // an unknown protobuf field pads a valid record past the spec's 10 KiB
        byte[] pad = new ProtoWriter().bytes(15, new byte[11_000]).toByteArray();
        byte[] big = java.util.Arrays.copyOf(good, good.length + pad.length);
        System.arraycopy(pad, 0, big, good.length, pad.length);
        assertThat(refusal(kad.onRequest(hostile, put(key, big))))
                .isEqualTo(
                        "PUT_VALUE refused: IPNS record of " + big.length + " bytes exceeds 10240");

        PeerId other = Ed25519KeyPair.generate().peerId();
        assertThat(refusal(kad.onRequest(hostile, put(IpnsRecord.routingKey(other), good))))
                .isEqualTo("PUT_VALUE refused: IPNS signatureV2 does not verify for " + other);
        // four bogus records; the score halves every minute, and no time passed
        assertThat(kad.penalty(hostile)).isEqualTo(4 * Kademlia.BOGUS_RECORD_POINTS);

        PeerId honest = peer();
        KadMessage valid = put(key, record(2, Duration.ofHours(1)).entry());
        assertThat(kad.onRequest(honest, valid)).isEqualTo(new InboundResult.Respond(valid));
        assertThat(refusal(kad.onRequest(honest, put(key, good))))
                .isEqualTo("PUT_VALUE: a better record for this key is held");
        assertThat(kad.penalty(honest)).isZero();
        InboundResult got =
                kad.onRequest(peer(), KadMessage.request(KadMessage.Type.GET_VALUE, key));
        assertThat(((InboundResult.Respond) got).message().record()).isEqualTo(valid.record());
    }

    @Test
    void aForgedRecordInAGetValueAnswerCostsThePeerAndIsNotTheResult() throws Exception {
        Kademlia kad = new Kademlia(peer(), KadConfig.defaults(), clock, random);
        PeerId liar = peer();
        kad.peerIdentified(
                liar, List.of(KadConfig.PROTOCOL), List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1")));
        CompletableFuture<ValueResult> f = kad.getValue(key, Duration.ofSeconds(30));
        List<KadAction> actions = kad.drainActions();
        KadAction.SendRequest ask = (KadAction.SendRequest) actions.get(0);
        assertThat(ask.peer()).isEqualTo(liar);
        byte[] forged = record(9, Duration.ofHours(1)).entry();
        forged[forged.length - 20] ^= 1;
        kad.onResponse(
                ask.id(),
                new KadMessage(
                        KadMessage.Type.GET_VALUE,
                        key,
                        ValueRecords.encodeRecord(key, forged),
                        List.of(),
                        List.of()));
        kad.drainActions();
        assertThat(kad.penalty(liar)).isEqualTo(Kademlia.BOGUS_RECORD_POINTS);
        assertThat(f).isDone();
        assertThat(f.get().value()).isNull();
    }
}
