package io.ipdm.operators.aggregate;

import io.ipdm.operators.aggregate.sketch.FrequentItems;
import io.ipdm.operators.aggregate.sketch.HyperLogLog;
import io.ipdm.operators.aggregate.sketch.KllQuantiles;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Nested;

/** Flink's serializer contract for the sketch accumulators, in their exact and estimating modes. */
class SketchSerializersTest {
    @Nested
    class Hll extends SerializerTestBase<HyperLogLog> {
        @Override
        protected TypeSerializer<HyperLogLog> createSerializer() {
            return SketchSerializer.Hll.INSTANCE;
        }

        @Override
        protected int getLength() {
            return -1;
        }

        @Override
        protected Class<HyperLogLog> getTypeClass() {
            return HyperLogLog.class;
        }

        @Override
        protected HyperLogLog[] getTestData() {
            HyperLogLog small = new HyperLogLog(12);
            small.add(42);
            HyperLogLog big = new HyperLogLog(12);
            for (int i = 0; i < 10_000; i++) {
                big.add(i * 0x9e3779b97f4a7c15L);
            }
            return new HyperLogLog[] {new HyperLogLog(12), small, big};
        }
    }

    @Nested
    class Kll extends SerializerTestBase<KllQuantiles> {
        @Override
        protected TypeSerializer<KllQuantiles> createSerializer() {
            return SketchSerializer.Kll.INSTANCE;
        }

        @Override
        protected int getLength() {
            return -1;
        }

        @Override
        protected Class<KllQuantiles> getTypeClass() {
            return KllQuantiles.class;
        }

        @Override
        protected KllQuantiles[] getTestData() {
            KllQuantiles big = new KllQuantiles(200);
            for (int i = 0; i < 10_000; i++) {
                big.add(i);
            }
            KllQuantiles one = new KllQuantiles(200);
            one.add(1.5);
            return new KllQuantiles[] {new KllQuantiles(200), one, big};
        }
    }

    @Nested
    class Items extends SerializerTestBase<FrequentItems> {
        @Override
        protected TypeSerializer<FrequentItems> createSerializer() {
            return SketchSerializer.Items.INSTANCE;
        }

        @Override
        protected int getLength() {
            return -1;
        }

        @Override
        protected Class<FrequentItems> getTypeClass() {
            return FrequentItems.class;
        }

        @Override
        protected FrequentItems[] getTestData() {
            FrequentItems s = new FrequentItems(256);
            for (int i = 0; i < 1000; i++) {
                s.add("p" + (i % 300));
            }
            return new FrequentItems[] {new FrequentItems(256), s};
        }
    }
}
