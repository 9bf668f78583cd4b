package io.ipdm.connectors.solana.synthetic;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumerator;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumeratorState;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumeratorStateSerializer;
import io.ipdm.connectors.solana.synthetic.reader.SyntheticReader;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplit;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplitSerializer;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.types.Row;

/**
 * A seeded, reproducible synthetic Solana chain: the same seed gives the same rows whatever the
 * parallelism, because each slot's content depends only on (seed, slot). Splits are slot ranges.
 */
public final class SyntheticSource
        implements Source<Row, SlotRangeSplit, SyntheticEnumeratorState>, ResultTypeQueryable<Row> {
    private static final long serialVersionUID = 1L;

    private final SyntheticOptions options;
    private final SolanaTable table;

    public SyntheticSource(SyntheticOptions options, SolanaTable table) {
        this.options = Objects.requireNonNull(options, "options");
        this.table = Objects.requireNonNull(table, "table");
    }

    public SyntheticOptions options() {
        return options;
    }

    @Override
    public Boundedness getBoundedness() {
        return options.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<SlotRangeSplit, SyntheticEnumeratorState> createEnumerator(
            SplitEnumeratorContext<SlotRangeSplit> context) {
        return restoreEnumerator(
                context, new SyntheticEnumeratorState(options.startSlot(), List.of()));
    }

    @Override
    public SplitEnumerator<SlotRangeSplit, SyntheticEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<SlotRangeSplit> context, SyntheticEnumeratorState state) {
        return new SyntheticEnumerator(context, state, options.endSlot(), options.slotsPerSplit());
    }

    @Override
    public SimpleVersionedSerializer<SlotRangeSplit> getSplitSerializer() {
        return SlotRangeSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<SyntheticEnumeratorState> getEnumeratorCheckpointSerializer() {
        return SyntheticEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public SourceReader<Row, SlotRangeSplit> createReader(SourceReaderContext readerContext) {
        return new SyntheticReader(readerContext, options, table);
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        return table.rowType();
    }
}
