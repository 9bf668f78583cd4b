package io.ipdm.operators.aggregate;

import java.io.Serializable;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.types.Row;

/**
 * An incremental, mergeable aggregate over rows. The accumulator may be mutated in place and
 * returned. Implementations are serializable (shipped in the job graph) and stateless apart from
 * their configuration.
 *
 * @param <A> the accumulator type, kept in Flink state with {@link #accumulatorSerializer}
 */
public interface Aggregator<A> extends Serializable {
    A createAccumulator();

    A add(A acc, Row row);

    /** Combines two accumulators (session windows merge); may reuse either argument. */
    A merge(A a, A b);

    /**
     * Whether {@link #merge} of the accumulators of any split of some rows gives the very result
     * (bit for bit) of adding all the rows to one accumulator, in any order. Only then may a window
     * pre-aggregate rows before its shuffle (partials merged after it). False unless an
     * implementation proves otherwise: floating-point sums round differently when regrouped, and
     * sketches (KLL, frequent items) keep different samples.
     */
    default boolean mergesExactly() {
        return false;
    }

    /** The result, typed as {@link #resultType()}; null when no non-null value was seen. */
    Object result(A acc);

    TypeInformation<?> resultType();

    /** An explicit serializer for the accumulator: no Kryo, stable bytes across versions. */
    TypeSerializer<A> accumulatorSerializer(SerializerConfig config);
}
