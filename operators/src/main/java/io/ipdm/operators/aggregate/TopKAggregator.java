package io.ipdm.operators.aggregate;

import java.io.Serial;
import java.util.HashMap;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/**
 * Approximate top_k with a frequent-items sketch. Its map holds at least 32 * k items (and at least
 * 256); while a window has fewer distinct values than 3/4 of that, counts are exact, beyond it a
 * count may be under-estimated by at most 3.5 * n / mapSize. Reported counts are the estimates.
 */
final class TopKAggregator implements Aggregator<ItemsSketch<String>> {
    @Serial private static final long serialVersionUID = 1L;

    static final int MIN_MAP_SIZE = 256;

    private final int position;
    private final int k;
    private final int mapSize;

    TopKAggregator(int position, int k) {
        this.position = position;
        this.k = k;
        this.mapSize = Math.max(MIN_MAP_SIZE, Integer.highestOneBit(Math.max(1, k * 32 - 1)) * 2);
    }

    @Override
    public ItemsSketch<String> createAccumulator() {
        return new ItemsSketch<>(mapSize);
    }

    @Override
    public ItemsSketch<String> add(ItemsSketch<String> acc, Row row) {
        Object v = row.getField(position);
        if (v != null) {
            acc.update(v.toString());
        }
        return acc;
    }

    @Override
    public ItemsSketch<String> merge(ItemsSketch<String> a, ItemsSketch<String> b) {
        return a.merge(b);
    }

    @Override
    public Object result(ItemsSketch<String> acc) {
        Map<String, Long> counts = new HashMap<>();
        for (ItemsSketch.Row<String> r : acc.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)) {
            counts.put(r.getItem(), r.getEstimate());
        }
        return TopKFormat.format(counts, k);
    }

    @Override
    public TypeInformation<?> resultType() {
        return Types.STRING;
    }

    @Override
    public TypeSerializer<ItemsSketch<String>> accumulatorSerializer(SerializerConfig config) {
        return ItemsSketchSerializer.INSTANCE;
    }
}
