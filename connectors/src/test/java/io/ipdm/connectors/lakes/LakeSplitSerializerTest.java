package io.ipdm.connectors.lakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class LakeSplitSerializerTest {
    private static final LakeSplit SPLIT =
            new LakeSplit("window-bafy", "window", "/lake", "bafy", 7);

    /** Version 1 bytes, fixed: a change to the format must bump the version. */
    private static final String V1 =
            "000b77696e646f772d62616679000677696e646f7700052f6c616b650004626166790000000000000007";

    @Test
    void versionOneRoundTripsAndMatchesReferenceBytes() throws IOException {
        LakeSplitSerializer s = new LakeSplitSerializer();
        byte[] bytes = s.serialize(SPLIT);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(V1);
        assertThat(s.deserialize(1, HexFormat.of().parseHex(V1))).isEqualTo(SPLIT);
        LakeSplitSerializer.Pending p = new LakeSplitSerializer.Pending();
        assertThat(p.deserialize(1, p.serialize(List.of(SPLIT, SPLIT))))
                .containsExactly(SPLIT, SPLIT);
        assertThatThrownBy(() -> s.deserialize(2, bytes))
                .isInstanceOf(IOException.class)
                .hasMessage("unknown lake split serializer version 2");
    }
}
