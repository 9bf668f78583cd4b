package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModuleCidTest {

    @Test
    void emptyBytesHaveTheWellKnownRawCid() {
        // the CID every IPFS implementation gives an empty raw block
        assertThat(ModuleCid.of(new byte[0]).toString())
                .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    }

    @Test
    void helloWorldRawCid() {
        assertThat(ModuleCid.of("hello world".getBytes(StandardCharsets.UTF_8)).digestHex())
                .isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    }

    @Test
    void parsesWhatItPrints() {
        ModuleCid cid = ModuleCid.of(new byte[] {1, 2, 3});
        assertThat(ModuleCid.parse(cid.toString())).isEqualTo(cid);
        assertThat(cid.bytes()).startsWith(0x01, 0x55, 0x12, 0x20).hasSize(36);
    }

    @Test
    void rejectsOtherCids() {
        assertThatThrownBy(() -> ModuleCid.parse("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "not a module CID: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG'; expected"
                                + " CIDv1 in base32 starting with 'b' (e.g. bafkrei...)");
        // dag-pb codec instead of raw
        assertThatThrownBy(
                        () ->
                                ModuleCid.parse(
                                        "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"))
                .hasMessageContaining("module CIDs are CIDv1, raw codec, sha2-256");
        assertThatThrownBy(() -> ModuleCid.parse("bafkrei1"))
                .hasMessageContaining("has '1', which is not base32 lower case");
    }
}
