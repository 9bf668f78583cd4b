package io.ipdm.connectors.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.gossipsub.enumerator.EnumeratorStateSerializer;
import io.ipdm.connectors.gossipsub.split.GossipsubSplit;
import io.ipdm.connectors.gossipsub.split.GossipsubSplitSerializer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerializersTest {
    /**
     * Version 1 bytes of {@code GossipsubSplit("t", ["ab", "c"])}; restoring them must keep
     * working.
     */
    private static final String SPLIT_V1 = "000174000000020002616200016" + "3";

    @Test
    void splitRoundTripsAndRestoresVersion1Bytes() throws Exception {
        GossipsubSplit s = new GossipsubSplit("t", List.of("ab", "c"));
        byte[] b = GossipsubSplitSerializer.INSTANCE.serialize(s);
        assertThat(HexFormat.of().formatHex(b)).isEqualTo(SPLIT_V1);
        assertThat(
                        GossipsubSplitSerializer.INSTANCE.deserialize(
                                1, HexFormat.of().parseHex(SPLIT_V1)))
                .isEqualTo(s);
        assertThatThrownBy(() -> GossipsubSplitSerializer.INSTANCE.deserialize(2, b))
                .hasMessage("unknown gossipsub split serializer version 2; this build reads 1");
    }

    @Test
    void enumeratorStateRoundTrips() throws Exception {
        List<GossipsubSplit> state = List.of(new GossipsubSplit("topic", List.of("x")));
        byte[] b = EnumeratorStateSerializer.INSTANCE.serialize(state);
        assertThat(EnumeratorStateSerializer.INSTANCE.deserialize(1, b)).isEqualTo(state);
        assertThat(
                        EnumeratorStateSerializer.INSTANCE.deserialize(
                                1, EnumeratorStateSerializer.INSTANCE.serialize(List.of())))
                .isEmpty();
    }
}
