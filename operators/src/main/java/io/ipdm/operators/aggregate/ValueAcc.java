package io.ipdm.operators.aggregate;

import java.util.Objects;

/**
 * Accumulator holding one value and the time it was seen at: min and max of non-numeric fields,
 * first and last. Mutable on purpose.
 */
public final class ValueAcc {
    boolean set;
    long time;
    Object value;

    public ValueAcc() {}

    public ValueAcc(long time, Object value) {
        this.set = true;
        this.time = time;
        this.value = value;
    }

    public boolean isSet() {
        return set;
    }

    public long time() {
        return time;
    }

    public Object value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueAcc v
                && v.set == set
                && v.time == time
                && Objects.deepEquals(v.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(set, time);
    }

    @Override
    public String toString() {
        return set ? "ValueAcc{time=" + time + ", value=" + value + "}" : "ValueAcc{}";
    }
}
