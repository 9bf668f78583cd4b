package io.ipdm.operators.aggregate;

import java.io.Serial;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type of {@link RowAggregateFunction}'s accumulator array: creates {@link AccumulatorsSerializer}.
 */
public final class AccumulatorsTypeInfo extends TypeInformation<Object[]> {
    @Serial private static final long serialVersionUID = 1L;

    private final List<Aggregator<?>> aggregators;

    AccumulatorsTypeInfo(List<Aggregator<?>> aggregators) {
        this.aggregators = List.copyOf(aggregators);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Object[]> getTypeClass() {
        return Object[].class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Object[]> createSerializer(SerializerConfig config) {
        TypeSerializer<?>[] nested = new TypeSerializer<?>[aggregators.size()];
        for (int i = 0; i < nested.length; i++) {
            nested[i] = aggregators.get(i).accumulatorSerializer(config);
        }
        return new AccumulatorsSerializer(nested);
    }

    @Override
    public String toString() {
        return "Accumulators" + aggregators.size();
    }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof AccumulatorsTypeInfo;
    }
}
