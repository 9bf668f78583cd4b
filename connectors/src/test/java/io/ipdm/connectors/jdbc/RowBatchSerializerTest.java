package io.ipdm.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.testutils.SerializerReference;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

/**
 * A checkpointed batch reads back equal, kinds and nulls included, in both forms (rows, staging
 * table), and version 1 bytes still read.
 */
class RowBatchSerializerTest {
    static final RowTypeInfo TYPE =
            new RowTypeInfo(
                    new org.apache.flink.api.common.typeinfo.TypeInformation<?>[] {
                        Types.STRING, Types.LONG, Types.DOUBLE
                    },
                    new String[] {"program_id", "window_start", "avg_fee"});

    static RowBatch batch() {
        return new RowBatch(
                "3f1c0a52-1d1e-4c55-9d6e-0b5e8c2a9a01",
                1_765_000_000_000L,
                List.of(
                        Row.ofKind(RowKind.INSERT, "Vote111", 60_000L, 5000.5),
                        Row.ofKind(RowKind.UPDATE_AFTER, "Vote111", 120_000L, null),
                        Row.ofKind(RowKind.DELETE, "Token", 60_000L, 1.0)));
    }

    static RowBatch staged() {
        return RowBatch.staged(
                "3f1c0a52-1d1e-4c55-9d6e-0b5e8c2a9a01",
                1_765_000_000_000L,
                "ipdm_stage_0a1b2c3d4e_1_17",
                250_000,
                true);
    }

    @Test
    void roundTrips() throws IOException {
        RowBatchSerializer s = new RowBatchSerializer(TYPE);
        RowBatch back = s.deserialize(s.getVersion(), s.serialize(batch()));
        assertThat(back).isEqualTo(batch());
        assertThat(back.rows().get(1).getKind()).isEqualTo(RowKind.UPDATE_AFTER);
        assertThat(s.deserialize(s.getVersion(), s.serialize(staged()))).isEqualTo(staged());
    }

    @Test
    void readsVersion1ReferenceBytes() throws IOException {
        RowBatchSerializer s = new RowBatchSerializer(TYPE);
        byte[] ref = SerializerReference.load("database-row-batch-v1");
        assertThat(s.deserialize(1, ref)).isEqualTo(batch());
    }

    @Test
    void writesAndReadsVersion2ReferenceBytes() throws IOException {
        RowBatchSerializer s = new RowBatchSerializer(TYPE);
        assertThat(s.getVersion()).isEqualTo(2);
        byte[] rows = SerializerReference.load("database-row-batch-v2-rows");
        assertThat(s.deserialize(2, rows)).isEqualTo(batch());
        assertThat(HexFormat.of().formatHex(s.serialize(batch())))
                .isEqualTo(HexFormat.of().formatHex(rows));
        byte[] staged = SerializerReference.load("database-row-batch-v2-staged");
        assertThat(s.deserialize(2, staged)).isEqualTo(staged());
        assertThat(HexFormat.of().formatHex(s.serialize(staged())))
                .isEqualTo(HexFormat.of().formatHex(staged));
    }

    @Test
    void refusesUnknownVersionAndBadCount() {
        RowBatchSerializer s = new RowBatchSerializer(TYPE);
        assertThatThrownBy(() -> s.deserialize(3, new byte[0]))
                .hasMessage(
                        "database sink batch: unknown serializer version 3 (this build reads 1"
                                + " and 2)");
        byte[] bad = HexFormat.of().parseHex("000178" + "0000000000000000" + "7fffffff");
        assertThatThrownBy(() -> s.deserialize(1, bad))
                .hasMessage("database sink batch x: bad row count 2147483647");
    }
}
