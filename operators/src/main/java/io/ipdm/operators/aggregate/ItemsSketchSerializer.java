package io.ipdm.operators.aggregate;

import java.io.Serial;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** A frequent-items sketch of strings as its byte form (which records its map size). */
public final class ItemsSketchSerializer extends SketchSerializer<ItemsSketch<String>> {
    @Serial private static final long serialVersionUID = 1L;

    public static final ItemsSketchSerializer INSTANCE = new ItemsSketchSerializer();
    private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

    @Override
    byte[] toBytes(ItemsSketch<String> sketch) {
        return sketch.toByteArray(SERDE);
    }

    @Override
    ItemsSketch<String> fromBytes(byte[] bytes) {
        return ItemsSketch.getInstance(Memory.wrap(bytes), SERDE);
    }

    @Override
    public ItemsSketch<String> createInstance() {
        return new ItemsSketch<>(TopKAggregator.MIN_MAP_SIZE);
    }

    @Override
    public TypeSerializerSnapshot<ItemsSketch<String>> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ItemsSketch<String>> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
