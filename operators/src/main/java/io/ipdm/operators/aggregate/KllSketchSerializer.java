package io.ipdm.operators.aggregate;

import java.io.Serial;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** A KLL doubles sketch as its byte form (which records k). */
public final class KllSketchSerializer extends SketchSerializer<KllDoublesSketch> {
    @Serial private static final long serialVersionUID = 1L;

    public static final KllSketchSerializer INSTANCE = new KllSketchSerializer();

    @Override
    byte[] toBytes(KllDoublesSketch sketch) {
        return sketch.toByteArray();
    }

    @Override
    KllDoublesSketch fromBytes(byte[] bytes) {
        return KllDoublesSketch.heapify(Memory.wrap(bytes));
    }

    @Override
    public KllDoublesSketch createInstance() {
        return KllDoublesSketch.newHeapInstance(QuantilesAggregator.DEFAULT_K);
    }

    @Override
    public TypeSerializerSnapshot<KllDoublesSketch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KllDoublesSketch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
