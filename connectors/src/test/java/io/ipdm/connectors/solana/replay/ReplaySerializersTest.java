package io.ipdm.connectors.solana.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.replay.enumerator.ReplayEnumeratorState;
import io.ipdm.connectors.solana.replay.enumerator.ReplayEnumeratorStateSerializer;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import io.ipdm.connectors.solana.replay.split.ReplaySplitSerializer;
import io.ipdm.connectors.solana.testutils.SerializerReference;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplaySerializersTest {
    static final long NONE = ReplaySplit.NO_BLOCK_TIME;
    static final ReplaySplit SPLIT_V1 =
            new ReplaySplit("/data/block_270893658.json", 270893658L, NONE, 17);
    static final ReplayEnumeratorState STATE_V1 =
            new ReplayEnumeratorState(List.of(SPLIT_V1, new ReplaySplit("/d/é.json", 5, NONE, 0)));
    static final ReplaySplit SPLIT =
            new ReplaySplit("/data/block_270893658.json", 270893658L, 1704648198L, 17);
    static final ReplayEnumeratorState STATE =
            new ReplayEnumeratorState(List.of(SPLIT, new ReplaySplit("/d/é.json", 5, NONE, 0)));

    @Test
    void splitV1RestoresFromReferenceBytes() throws IOException {
        // version 1 had no block time: such splits restore as files without one
        ReplaySplitSerializer s = ReplaySplitSerializer.INSTANCE;
        byte[] reference = SerializerReference.load("replay-split-v1");
        assertThat(s.deserialize(1, reference)).isEqualTo(SPLIT_V1);
    }

    @Test
    void splitV2RestoresFromReferenceBytes() throws IOException {
        ReplaySplitSerializer s = ReplaySplitSerializer.INSTANCE;
        assertThat(s.getVersion()).isEqualTo(2);
        byte[] reference = SerializerReference.load("replay-split-v2");
        assertThat(s.deserialize(2, reference)).isEqualTo(SPLIT);
        assertThat(s.serialize(SPLIT)).isEqualTo(reference);
    }

    @Test
    void enumeratorStateV1RestoresFromReferenceBytes() throws IOException {
        ReplayEnumeratorStateSerializer s = ReplayEnumeratorStateSerializer.INSTANCE;
        byte[] reference = SerializerReference.load("replay-enumerator-state-v1");
        assertThat(s.deserialize(1, reference)).isEqualTo(STATE_V1);
    }

    @Test
    void enumeratorStateV2RestoresFromReferenceBytes() throws IOException {
        ReplayEnumeratorStateSerializer s = ReplayEnumeratorStateSerializer.INSTANCE;
        assertThat(s.getVersion()).isEqualTo(2);
        byte[] reference = SerializerReference.load("replay-enumerator-state-v2");
        assertThat(s.deserialize(2, reference)).isEqualTo(STATE);
        assertThat(s.serialize(STATE)).isEqualTo(reference);
    }

    @Test
    void unknownVersionIsRejected() {
        assertThatThrownBy(() -> ReplaySplitSerializer.INSTANCE.deserialize(3, new byte[0]))
                .hasMessage("unknown replay split serializer version 3; this build reads 1 and 2");
        assertThatThrownBy(
                        () -> ReplayEnumeratorStateSerializer.INSTANCE.deserialize(9, new byte[0]))
                .hasMessage("unknown replay enumerator state version 9; this build reads 1 and 2");
    }
}
