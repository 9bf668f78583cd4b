package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidTest {

    @Test
    void v0AndV1RoundTrip() {
        String v0 = "QmPLPpnptHc1DMhJAWNYMTqBTqqRQNy5WsY7F9pZgsBfMT";
        Cid c0 = Cid.parse(v0);
        assertThat(c0.version()).isZero();
        assertThat(c0.codec()).isEqualTo(Multicodec.DAG_PB.code());
        assertThat(c0.toString()).isEqualTo(v0);
        assertThat(Cid.fromBytes(c0.toBytes())).isEqualTo(c0);
        Cid c1 = c0.toV1();
        assertThat(c1.toString()).startsWith("bafybei");
        assertThat(Cid.parse(c1.toString())).isEqualTo(c1);
        assertThat(Cid.parse(c1.toString(Multibase.BASE58_BTC))).isEqualTo(c1);
        assertThat(Cid.parse(c1.toString(Multibase.BASE36))).isEqualTo(c1);
    }

    @Test
    void cidOfBytesMatchesKnownRawCid() {
        // the empty raw block is a well known CID
        assertThat(Cid.sha256(Multicodec.RAW, new byte[0]).toString())
                .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    }

    @Test
    void rejectsMalformed() {
        assertThatThrownBy(() -> Cid.parse("bafkqabiaaebagba-"))
                .isInstanceOf(MultiformatException.class)
                .hasMessage(
                        "invalid CID 'bafkqabiaaebagba-': invalid base32 character '-' at position 15");
        assertThatThrownBy(() -> Cid.parse("!abc"))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("invalid CID '!abc': unknown multibase prefix '!'");
        assertThatThrownBy(() -> Cid.fromBytes(new byte[] {2, 0x55, 0, 0}))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("unsupported CID version 2");
        assertThatThrownBy(() -> Cid.parse(""))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("empty CID string");
    }
}
