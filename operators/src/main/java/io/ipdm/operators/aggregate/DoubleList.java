package io.ipdm.operators.aggregate;

import java.util.Arrays;

/** A growable list of doubles: the accumulator of exact quantiles. */
public final class DoubleList {
    double[] values;
    int size;

    public DoubleList() {
        this(new double[8], 0);
    }

    DoubleList(double[] values, int size) {
        this.values = values;
        this.size = size;
    }

    void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.max(8, size * 2));
        }
        values[size++] = v;
    }

    void addAll(DoubleList other) {
        if (size + other.size > values.length) {
            values = Arrays.copyOf(values, Math.max(size + other.size, size * 2));
        }
        System.arraycopy(other.values, 0, values, size, other.size);
        size += other.size;
    }

    public int size() {
        return size;
    }

    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleList d && Arrays.equals(d.toArray(), toArray());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toArray());
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
