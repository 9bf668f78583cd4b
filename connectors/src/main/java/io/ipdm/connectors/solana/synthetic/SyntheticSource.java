package io.ipdm.connectors.solana.synthetic;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumerator;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumeratorState;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumeratorStateSerializer;
import io.ipdm.connectors.solana.synthetic.reader.SyntheticReader;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplit;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplitSerializer;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
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
    private final int[] columns; // null for all

    public SyntheticSource(SyntheticOptions options, SolanaTable table) {
        this(options, table, null);
    }

    /**
     * Emits only {@code fields} of the table, in the table's order (projection push-down: the
     * generator skips work for columns nobody reads); null for all fields.
     *
     * @throws IllegalArgumentException for a field the table does not have
     */
    public SyntheticSource(SyntheticOptions options, SolanaTable table, Collection<String> fields) {
        this.options = Objects.requireNonNull(options, "options");
        this.table = Objects.requireNonNull(table, "table");
        if (fields == null) {
            this.columns = null;
        } else {
            for (String f : fields) {
                table.indexOf(f);
            }
            this.columns =
                    IntStream.range(0, table.arity())
                            .filter(i -> fields.contains(table.fieldNames().get(i)))
                            .toArray();
        }
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
        return new SyntheticReader(readerContext, options, table, columns);
    }

    @Override
    public RowTypeInfo getProducedType() {
        RowTypeInfo all = table.rowType();
        if (columns == null) {
            return all;
        }
        TypeInformation<?>[] types = new TypeInformation<?>[columns.length];
        String[] names = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            types[i] = all.getTypeAt(columns[i]);
            names[i] = all.getFieldNames()[columns[i]];
        }
        return new RowTypeInfo(types, names);
    }
}
