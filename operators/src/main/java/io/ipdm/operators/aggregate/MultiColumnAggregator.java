package io.ipdm.operators.aggregate;

import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * An aggregator whose result fills several window columns (a WebAssembly aggregate's result batch):
 * {@link #result} returns a {@code Row} typed by {@link #resultType()}, whose fields become columns
 * of the window's output rows under their own names.
 */
public interface MultiColumnAggregator<A> extends Aggregator<A> {
    @Override
    RowTypeInfo resultType();
}
