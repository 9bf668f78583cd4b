package io.ipdm.operators.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class EventTimeWatermarksTest {
    static final RowTypeInfo TX =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.LONG, Types.LONG, Types.STRING},
                    new String[] {"slot", "block_time", "signature"});

    static long timestamp(WatermarkStrategy<Row> s, Row row) {
        TimestampAssigner<Row> a = s.createTimestampAssigner(null);
        return a.extractTimestamp(row, Long.MIN_VALUE);
    }

    @Test
    void convertsTheFieldToEpochMillis() {
        Row row = Row.of(1L, 1_700_000_000L, "sig");
        assertThat(
                        timestamp(
                                EventTimeWatermarks.forField(
                                        TX,
                                        "block_time",
                                        EventTimeUnit.SECONDS,
                                        Duration.ofSeconds(5),
                                        null),
                                row))
                .isEqualTo(1_700_000_000_000L);
        assertThat(
                        timestamp(
                                EventTimeWatermarks.forFieldPerEvent(
                                        TX, "block_time", EventTimeUnit.MILLIS, Duration.ZERO),
                                row))
                .isEqualTo(1_700_000_000L);
        assertThat(EventTimeUnit.MICROS.toMillis(1_999)).isEqualTo(1);
        assertThat(EventTimeUnit.NANOS.toMillis(-1)).isEqualTo(-1);
        assertThat(EventTimeUnit.parse(" Seconds ")).isEqualTo(EventTimeUnit.SECONDS);
        assertThat(EventTimeUnit.parse("ms")).isEqualTo(EventTimeUnit.MILLIS);
    }

    @Test
    void rejectsBadFieldsUnitsAndDurations() {
        assertThatThrownBy(
                        () ->
                                EventTimeWatermarks.forField(
                                        TX,
                                        "blocktime",
                                        EventTimeUnit.SECONDS,
                                        Duration.ZERO,
                                        null))
                .hasMessage(
                        "unknown event time field 'blocktime'; known fields: slot, block_time, signature");
        assertThatThrownBy(
                        () ->
                                EventTimeWatermarks.forField(
                                        TX,
                                        "signature",
                                        EventTimeUnit.SECONDS,
                                        Duration.ZERO,
                                        null))
                .hasMessage(
                        "event time field 'signature' must be an integer (Long), but it is String");
        assertThatThrownBy(
                        () ->
                                EventTimeWatermarks.forField(
                                        TX,
                                        "block_time",
                                        EventTimeUnit.SECONDS,
                                        Duration.ofSeconds(-1),
                                        null))
                .hasMessage("max out-of-orderness must be zero or positive, got PT-1S");
        assertThatThrownBy(
                        () ->
                                EventTimeWatermarks.forField(
                                        TX,
                                        "block_time",
                                        EventTimeUnit.SECONDS,
                                        Duration.ZERO,
                                        Duration.ZERO))
                .hasMessage("idleness must be positive, got PT0S");
        assertThatThrownBy(() -> EventTimeUnit.parse("minutes"))
                .hasMessage(
                        "unknown time unit 'minutes'; use one of: seconds, millis, micros, nanos");
    }

    @Test
    void aNullTimeFailsWithTheFieldName() {
        WatermarkStrategy<Row> s =
                EventTimeWatermarks.forField(
                        TX, "block_time", EventTimeUnit.SECONDS, Duration.ZERO, null);
        assertThatThrownBy(() -> timestamp(s, Row.of(1L, null, "sig")))
                .hasMessage(
                        "event-time field 'block_time' is null in row +I[1, null, sig]: event time is read as"
                                + " the source emits its rows, so a row without it cannot be filtered out later;"
                                + " for data that lacks it (Solana blocks from before block times were kept, such"
                                + " as Old Faithful epoch 0, have a null block_time) run a job without event_time"
                                + " and windows");
    }
}
