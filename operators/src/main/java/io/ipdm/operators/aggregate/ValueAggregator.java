package io.ipdm.operators.aggregate;

import java.io.Serial;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/**
 * min and max of comparable non-numeric fields (String, Boolean), and first and last by a time
 * field. Ties in time keep the smaller value for first and the larger for last, so the result does
 * not depend on arrival order.
 */
final class ValueAggregator implements Aggregator<ValueAcc> {
    @Serial private static final long serialVersionUID = 1L;

    enum Op {
        MIN,
        MAX,
        FIRST,
        LAST
    }

    private final Op op;
    private final int position;
    private final int timePosition; // -1 for min and max
    private final TypeInformation<?> valueType;

    ValueAggregator(Op op, int position, int timePosition, TypeInformation<?> valueType) {
        this.op = op;
        this.position = position;
        this.timePosition = timePosition;
        this.valueType = valueType;
    }

    @Override
    public ValueAcc createAccumulator() {
        return new ValueAcc();
    }

    @Override
    public ValueAcc add(ValueAcc acc, Row row) {
        Object v = row.getField(position);
        if (v == null) {
            return acc;
        }
        long time = 0;
        if (timePosition >= 0) {
            Object t = row.getField(timePosition);
            if (t == null) {
                return acc; // no time: cannot be ordered
            }
            time = ((Number) t).longValue();
        }
        if (!acc.set || better(time, v, acc.time, acc.value)) {
            acc.set = true;
            acc.time = time;
            acc.value = v;
        }
        return acc;
    }

    @Override
    public ValueAcc merge(ValueAcc a, ValueAcc b) {
        if (!b.set) {
            return a;
        }
        if (!a.set || better(b.time, b.value, a.time, a.value)) {
            return b;
        }
        return a;
    }

    /** The kept value is the best by a total order (ties broken by value), whatever the split. */
    @Override
    public boolean mergesExactly() {
        return true;
    }

    /** Whether (time, value) should replace (curTime, cur). */
    private boolean better(long time, Object value, long curTime, Object cur) {
        return switch (op) {
            case MIN -> compare(value, cur) < 0;
            case MAX -> compare(value, cur) > 0;
            case FIRST -> time < curTime || (time == curTime && compare(value, cur) < 0);
            case LAST -> time > curTime || (time == curTime && compare(value, cur) > 0);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    @Override
    public Object result(ValueAcc acc) {
        return acc.set ? acc.value : null;
    }

    @Override
    public TypeInformation<?> resultType() {
        return valueType;
    }

    @Override
    public TypeSerializer<ValueAcc> accumulatorSerializer(SerializerConfig config) {
        return new ValueAccSerializer(valueType.createSerializer(config));
    }
}
