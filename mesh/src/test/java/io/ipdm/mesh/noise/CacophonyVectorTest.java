package io.ipdm.mesh.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.multiformats.testutils.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The single Noise_XX_25519_ChaChaPoly_SHA256 vector of cacophony.txt, reproduced byte for byte.
 */
class CacophonyVectorTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void xxVectorMatchesEveryMessageAndTheHandshakeHash() throws IOException {
        String all = Files.readString(SharedData.require("libp2p/noise/cacophony.txt"));
        int at = all.indexOf("\"protocol_name\": \"Noise_XX_25519_ChaChaPoly_SHA256\"");
        if (at < 0) {
            at = all.indexOf("\"protocol_name\":\"Noise_XX_25519_ChaChaPoly_SHA256\"");
        }
        assertThat(at).as("vector present").isGreaterThanOrEqualTo(0);
        String v = all.substring(at, all.indexOf("]", all.indexOf("\"messages\"", at)) + 1);

        XXHandshake init =
                new XXHandshake(
                        true,
                        hex(v, "init_prologue"),
                        hex(v, "init_static"),
                        hex(v, "init_ephemeral"));
        XXHandshake resp =
                new XXHandshake(
                        false,
                        hex(v, "resp_prologue"),
                        hex(v, "resp_static"),
                        hex(v, "resp_ephemeral"));

        List<String[]> messages = new ArrayList<>();
        Matcher m =
                Pattern.compile(
                                "\"payload\":\\s*\"([0-9a-f]*)\",\\s*\"ciphertext\":\\s*\"([0-9a-f]*)\"")
                        .matcher(v);
        while (m.find()) {
            messages.add(new String[] {m.group(1), m.group(2)});
        }
        assertThat(messages).hasSize(6);

        CipherState[] ic = null;
        CipherState[] rc = null;
        for (int i = 0; i < messages.size(); i++) {
            byte[] payload = HEX.parseHex(messages.get(i)[0]);
            String expected = messages.get(i)[1];
            boolean fromInitiator = i % 2 == 0;
            if (i < 3) {
                XXHandshake w = fromInitiator ? init : resp;
                XXHandshake r = fromInitiator ? resp : init;
                byte[] c = w.writeMessage(payload);
                assertThat(HEX.formatHex(c)).as("message " + i).isEqualTo(expected);
                assertThat(r.readMessage(c)).isEqualTo(payload);
                if (i == 2) {
                    assertThat(HEX.formatHex(init.handshakeHash()))
                            .isEqualTo(field(v, "handshake_hash"))
                            .isEqualTo(HEX.formatHex(resp.handshakeHash()));
                    ic = init.split();
                    rc = resp.split();
                }
            } else {
                CipherState send = fromInitiator ? ic[0] : rc[1];
                CipherState recv = fromInitiator ? rc[0] : ic[1];
                byte[] c = send.encryptWithAd(null, payload);
                assertThat(HEX.formatHex(c)).as("message " + i).isEqualTo(expected);
                assertThat(recv.decryptWithAd(null, c)).isEqualTo(payload);
            }
        }
    }

    private static String field(String v, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"([0-9a-f]*)\"").matcher(v);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    private static byte[] hex(String v, String name) {
        return HEX.parseHex(field(v, name));
    }
}
