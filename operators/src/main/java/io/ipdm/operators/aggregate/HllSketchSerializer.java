package io.ipdm.operators.aggregate;

import java.io.Serial;
import org.apache.datasketches.hll.HllSketch;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** An HLL sketch as its compact byte form (which records lgK and the HLL type). */
public final class HllSketchSerializer extends SketchSerializer<HllSketch> {
    @Serial private static final long serialVersionUID = 1L;

    public static final HllSketchSerializer INSTANCE = new HllSketchSerializer();

    @Override
    byte[] toBytes(HllSketch sketch) {
        return sketch.toCompactByteArray();
    }

    @Override
    HllSketch fromBytes(byte[] bytes) {
        return HllSketch.heapify(bytes);
    }

    @Override
    public HllSketch createInstance() {
        return new HllSketch(HllAggregator.DEFAULT_LG_K);
    }

    @Override
    public TypeSerializerSnapshot<HllSketch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<HllSketch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
