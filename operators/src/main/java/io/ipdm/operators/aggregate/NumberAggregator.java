package io.ipdm.operators.aggregate;

import java.io.Serial;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/**
 * count, sum, min, max and avg over a numeric field (count over any field, or rows). Integral
 * inputs accumulate exactly in a long (sum fails loudly on overflow rather than wrap); floating
 * ones in a double. Null values are skipped; a result over no values is null (count is 0).
 */
final class NumberAggregator implements Aggregator<NumberAcc> {
    @Serial private static final long serialVersionUID = 1L;

    enum Op {
        COUNT,
        SUM,
        MIN,
        MAX,
        AVG
    }

    private final String name;
    private final Op op;
    private final int position; // -1: count rows
    private final boolean floating;
    private final TypeInformation<?> inputType;

    NumberAggregator(
            String name, Op op, int position, boolean floating, TypeInformation<?> inputType) {
        this.name = name;
        this.op = op;
        this.position = position;
        this.floating = floating;
        this.inputType = inputType;
    }

    @Override
    public NumberAcc createAccumulator() {
        NumberAcc acc = new NumberAcc();
        if (op == Op.MIN) {
            acc.longValue = Long.MAX_VALUE;
            acc.doubleValue = Double.POSITIVE_INFINITY;
        } else if (op == Op.MAX) {
            acc.longValue = Long.MIN_VALUE;
            acc.doubleValue = Double.NEGATIVE_INFINITY;
        }
        return acc;
    }

    @Override
    public NumberAcc add(NumberAcc acc, Row row) {
        if (position < 0) {
            acc.count++;
            return acc;
        }
        Object v = row.getField(position);
        if (v == null) {
            return acc;
        }
        acc.count++;
        if (op == Op.COUNT) {
            return acc;
        }
        if (floating) {
            double d = ((Number) v).doubleValue();
            switch (op) {
                case SUM, AVG -> acc.doubleValue += d;
                case MIN -> acc.doubleValue = Math.min(acc.doubleValue, d);
                case MAX -> acc.doubleValue = Math.max(acc.doubleValue, d);
                default -> {}
            }
        } else {
            long l = ((Number) v).longValue();
            switch (op) {
                case SUM, AVG -> acc.longValue = addExact(acc.longValue, l);
                case MIN -> acc.longValue = Math.min(acc.longValue, l);
                case MAX -> acc.longValue = Math.max(acc.longValue, l);
                default -> {}
            }
        }
        return acc;
    }

    private long addExact(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new ArithmeticException(
                    "aggregate '"
                            + name
                            + "' ("
                            + op.name().toLowerCase()
                            + "): the sum overflows a 64-bit integer");
        }
        return r;
    }

    @Override
    public NumberAcc merge(NumberAcc a, NumberAcc b) {
        a.count += b.count;
        switch (op) {
            case SUM, AVG -> {
                a.longValue = addExact(a.longValue, b.longValue);
                a.doubleValue += b.doubleValue;
            }
            case MIN -> {
                a.longValue = Math.min(a.longValue, b.longValue);
                a.doubleValue = Math.min(a.doubleValue, b.doubleValue);
            }
            case MAX -> {
                a.longValue = Math.max(a.longValue, b.longValue);
                a.doubleValue = Math.max(a.doubleValue, b.doubleValue);
            }
            default -> {}
        }
        return a;
    }

    /** Counts, integral sums and min/max are exact; a double sum depends on how it is grouped. */
    @Override
    public boolean mergesExactly() {
        return !floating || op == Op.COUNT || op == Op.MIN || op == Op.MAX;
    }

    @Override
    public Object result(NumberAcc acc) {
        if (op == Op.COUNT) {
            return acc.count;
        }
        if (acc.count == 0) {
            return null;
        }
        if (op == Op.AVG) {
            return floating ? acc.doubleValue / acc.count : (double) acc.longValue / acc.count;
        }
        if (floating) {
            return castFloating(acc.doubleValue);
        }
        return castIntegral(acc.longValue);
    }

    private Object castFloating(double d) {
        return op != Op.SUM && inputType.equals(Types.FLOAT) ? (Object) (float) d : (Object) d;
    }

    private Object castIntegral(long l) {
        if (op == Op.SUM) {
            return l;
        }
        // min and max keep the input's type
        if (inputType.equals(Types.INT)) {
            return (int) l;
        }
        if (inputType.equals(Types.SHORT)) {
            return (short) l;
        }
        if (inputType.equals(Types.BYTE)) {
            return (byte) l;
        }
        return l;
    }

    @Override
    public TypeInformation<?> resultType() {
        return switch (op) {
            case COUNT -> Types.LONG;
            case AVG -> Types.DOUBLE;
            case SUM -> floating ? Types.DOUBLE : Types.LONG;
            case MIN, MAX -> inputType;
        };
    }

    @Override
    public TypeSerializer<NumberAcc> accumulatorSerializer(SerializerConfig config) {
        return NumberAccSerializer.INSTANCE;
    }
}
