package io.ipdm.operators.aggregate;

import java.util.Objects;

/**
 * Accumulator of count, sum, min, max and avg: how many values were seen, and a long or a double
 * running value (which one depends on the aggregate and the input type). Mutable on purpose: the
 * window operator updates it for every row.
 */
public final class NumberAcc {
    long count;
    long longValue;
    double doubleValue;

    public NumberAcc() {}

    public NumberAcc(long count, long longValue, double doubleValue) {
        this.count = count;
        this.longValue = longValue;
        this.doubleValue = doubleValue;
    }

    public long count() {
        return count;
    }

    public long longValue() {
        return longValue;
    }

    public double doubleValue() {
        return doubleValue;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumberAcc n
                && n.count == count
                && n.longValue == longValue
                && Double.compare(n.doubleValue, doubleValue) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, longValue, doubleValue);
    }

    @Override
    public String toString() {
        return "NumberAcc{count=" + count + ", long=" + longValue + ", double=" + doubleValue + "}";
    }
}
