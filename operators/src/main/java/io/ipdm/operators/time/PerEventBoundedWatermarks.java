package io.ipdm.operators.time;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.types.Row;

/**
 * Bounded out-of-orderness that emits the watermark after every event instead of periodically, so
 * that which events are late depends only on the order of the input, never on timing. Costs a
 * watermark check per event; meant for replays and tests.
 */
final class PerEventBoundedWatermarks implements WatermarkGenerator<Row> {
    private final long outOfOrdernessMillis;
    private long maxTimestamp;

    PerEventBoundedWatermarks(long outOfOrdernessMillis) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMillis + 1;
    }

    @Override
    public void onEvent(Row event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            // Same value as Flink's bounded out-of-orderness: events at the watermark are on time.
            output.emitWatermark(new Watermark(maxTimestamp - outOfOrdernessMillis - 1));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
}
