package io.ipdm.operators.aggregate;

import io.ipdm.operators.aggregate.sketch.FrequentItems;
import io.ipdm.operators.aggregate.sketch.HyperLogLog;
import io.ipdm.operators.aggregate.sketch.KllQuantiles;
import java.io.IOException;
import java.io.Serial;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializers of the sketch accumulators, each in the sketch's own versioned form (which carries
 * its parameters): see {@link HyperLogLog}, {@link FrequentItems} and {@link KllQuantiles}.
 */
abstract class SketchSerializer<T> extends TypeSerializerSingleton<T> {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    /** Accumulator of approximate count_distinct. */
    static final class Hll extends SketchSerializer<HyperLogLog> {
        @Serial private static final long serialVersionUID = 1L;
        static final Hll INSTANCE = new Hll();

        @Override
        public HyperLogLog createInstance() {
            return new HyperLogLog(HllAggregator.PRECISION);
        }

        @Override
        public HyperLogLog copy(HyperLogLog from) {
            return from.copy();
        }

        @Override
        public void serialize(HyperLogLog s, DataOutputView out) throws IOException {
            s.writeTo(out);
        }

        @Override
        public HyperLogLog deserialize(DataInputView in) throws IOException {
            return HyperLogLog.readFrom(in);
        }

        @Override
        public TypeSerializerSnapshot<HyperLogLog> snapshotConfiguration() {
            return new HllSnapshot();
        }
    }

    /** Version 1. */
    public static final class HllSnapshot extends SimpleTypeSerializerSnapshot<HyperLogLog> {
        public HllSnapshot() {
            super(() -> Hll.INSTANCE);
        }
    }

    /** Accumulator of approximate top_k. */
    static final class Items extends SketchSerializer<FrequentItems> {
        @Serial private static final long serialVersionUID = 1L;
        static final Items INSTANCE = new Items();

        @Override
        public FrequentItems createInstance() {
            return new FrequentItems(TopKAggregator.MIN_CAPACITY);
        }

        @Override
        public FrequentItems copy(FrequentItems from) {
            return from.copy();
        }

        @Override
        public void serialize(FrequentItems s, DataOutputView out) throws IOException {
            s.writeTo(out);
        }

        @Override
        public FrequentItems deserialize(DataInputView in) throws IOException {
            return FrequentItems.readFrom(in);
        }

        @Override
        public TypeSerializerSnapshot<FrequentItems> snapshotConfiguration() {
            return new ItemsSnapshot();
        }
    }

    /** Version 1. */
    public static final class ItemsSnapshot extends SimpleTypeSerializerSnapshot<FrequentItems> {
        public ItemsSnapshot() {
            super(() -> Items.INSTANCE);
        }
    }

    /** Accumulator of approximate quantiles. */
    static final class Kll extends SketchSerializer<KllQuantiles> {
        @Serial private static final long serialVersionUID = 1L;
        static final Kll INSTANCE = new Kll();

        @Override
        public KllQuantiles createInstance() {
            return new KllQuantiles(QuantilesAggregator.K);
        }

        @Override
        public KllQuantiles copy(KllQuantiles from) {
            return from.copy();
        }

        @Override
        public void serialize(KllQuantiles s, DataOutputView out) throws IOException {
            s.writeTo(out);
        }

        @Override
        public KllQuantiles deserialize(DataInputView in) throws IOException {
            return KllQuantiles.readFrom(in);
        }

        @Override
        public TypeSerializerSnapshot<KllQuantiles> snapshotConfiguration() {
            return new KllSnapshot();
        }
    }

    /** Version 1. */
    public static final class KllSnapshot extends SimpleTypeSerializerSnapshot<KllQuantiles> {
        public KllSnapshot() {
            super(() -> Kll.INSTANCE);
        }
    }
}
