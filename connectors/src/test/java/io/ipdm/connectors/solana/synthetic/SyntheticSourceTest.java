package io.ipdm.connectors.solana.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumerator;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumeratorState;
import io.ipdm.connectors.solana.synthetic.enumerator.SyntheticEnumeratorStateSerializer;
import io.ipdm.connectors.solana.synthetic.reader.SyntheticReader;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplit;
import io.ipdm.connectors.solana.synthetic.split.SlotRangeSplitSerializer;
import io.ipdm.connectors.solana.testutils.CollectingOutput;
import io.ipdm.connectors.solana.testutils.SerializerReference;
import io.ipdm.connectors.solana.testutils.TestEnumeratorContext;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {
    static final SyntheticOptions OPTIONS =
            SyntheticOptions.builder()
                    .seed(3)
                    .startSlot(5000)
                    .endSlot(5060)
                    .transactionsPerSlot(50)
                    .slotsPerSplit(7)
                    .build();
    static final Comparator<Row> BY_SLOT_INDEX =
            Comparator.<Row>comparingLong(r -> (Long) r.getField(0))
                    .thenComparingInt(r -> (Integer) r.getField(2));

    /** Runs an enumerator and {@code n} readers to the end, readers taking turns. */
    static List<Row> run(SyntheticOptions options, int n) throws Exception {
        TestEnumeratorContext<SlotRangeSplit> ectx = new TestEnumeratorContext<>(n);
        SyntheticSource source = new SyntheticSource(options, SolanaTable.TRANSACTIONS);
        SyntheticEnumerator enumerator = (SyntheticEnumerator) source.createEnumerator(ectx);
        List<SyntheticReader> readers = new ArrayList<>();
        List<Boolean> done = new ArrayList<>();
        CollectingOutput out = new CollectingOutput();
        for (int i = 0; i < n; i++) {
            readers.add((SyntheticReader) source.createReader(new TestReaderContext(i, n)));
            done.add(false);
        }
        int finished = 0;
        while (finished < n) {
            for (int i = 0; i < n; i++) {
                if (done.get(i)) {
                    continue;
                }
                SyntheticReader r = readers.get(i);
                InputStatus status = r.pollNext(out);
                if (status == InputStatus.NOTHING_AVAILABLE) {
                    enumerator.handleSplitRequest(i, "localhost");
                    List<SlotRangeSplit> got = ectx.assigned.remove(i);
                    if (got != null) {
                        r.addSplits(got);
                    }
                    if (ectx.noMoreSplits.contains(i)) {
                        r.notifyNoMoreSplits();
                    }
                } else if (status == InputStatus.END_OF_INPUT) {
                    done.set(i, true);
                    finished++;
                }
            }
        }
        List<Row> rows = new ArrayList<>(out.rows);
        rows.sort(BY_SLOT_INDEX);
        return rows;
    }

    @Test
    void aProjectedSourceEmitsItsColumnsInTableOrder() {
        SyntheticSource s =
                new SyntheticSource(
                        OPTIONS, SolanaTable.TRANSACTIONS, List.of("program_ids", "block_time"));
        assertThat(s.getProducedType().toString())
                .isEqualTo("Row(block_time: Long, program_ids: BasicArrayTypeInfo<String>)");
        assertThatThrownBy(
                        () ->
                                new SyntheticSource(
                                        OPTIONS, SolanaTable.TRANSACTIONS, List.of("fees")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "table transactions has no field 'fees'; fields: [slot, block_time, index,"
                                + " signature, fee_payer, fee, success, error, compute_units,"
                                + " program_ids, inner_program_ids, is_vote, num_signatures, version,"
                                + " num_instructions, num_inner_instructions, num_accounts,"
                                + " recent_blockhash]");
    }

    @Test
    void sameRowsWhateverTheParallelism() throws Exception {
        List<Row> one = run(OPTIONS, 1);
        List<Row> three = run(OPTIONS, 3);
        assertThat(one).isNotEmpty();
        assertThat(three).isEqualTo(one);
        assertThat(one.stream().mapToLong(r -> (Long) r.getField(0)).min().orElseThrow())
                .isGreaterThanOrEqualTo(5000);
        assertThat(one.stream().mapToLong(r -> (Long) r.getField(0)).max().orElseThrow())
                .isLessThan(5060);
    }

    @Test
    void restoresFromReaderSnapshot() throws Exception {
        SlotRangeSplit split = new SlotRangeSplit(5000, 5060, 5000);
        SyntheticReader a =
                new SyntheticReader(new TestReaderContext(), OPTIONS, SolanaTable.TRANSACTIONS);
        a.addSplits(List.of(split));
        a.notifyNoMoreSplits();
        CollectingOutput out = new CollectingOutput();
        for (int i = 0; i < 10; i++) {
            a.pollNext(out);
        }
        List<SlotRangeSplit> state = a.snapshotState(1);
        assertThat(state).containsExactly(split.withNext(5010));
        SyntheticReader b =
                new SyntheticReader(new TestReaderContext(), OPTIONS, SolanaTable.TRANSACTIONS);
        b.addSplits(state);
        b.notifyNoMoreSplits();
        while (b.pollNext(out) != InputStatus.END_OF_INPUT) {}
        List<Row> expected = run(OPTIONS, 1);
        assertThat(out.rows).isEqualTo(expected);
        assertThat(out.timestamps.get(0))
                .isEqualTo(SlotGenerator.blockTime((Long) out.rows.get(0).getField(0)) * 1000);
    }

    @Test
    void readsRestoredSplitsLowestSlotFirst() throws Exception {
        // two readers' in-progress splits restored into one reader (rescale 2 -> 1), later one
        // first
        SyntheticReader r =
                new SyntheticReader(new TestReaderContext(), OPTIONS, SolanaTable.TRANSACTIONS);
        r.addSplits(
                List.of(
                        new SlotRangeSplit(5030, 5060, 5040),
                        new SlotRangeSplit(5000, 5030, 5010)));
        r.notifyNoMoreSplits();
        CollectingOutput out = new CollectingOutput();
        while (r.pollNext(out) != InputStatus.END_OF_INPUT) {}
        assertThat(out.rows).isNotEmpty();
        assertThat(out.timestamps).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat((Long) out.rows.get(0).getField(0)).isBetween(5010L, 5029L);
    }

    @Test
    void targetRateHoldsBackTheReader() throws Exception {
        SyntheticOptions slow =
                SyntheticOptions.builder()
                        .startSlot(0)
                        .endSlot(100)
                        .transactionsPerSlot(50)
                        .targetRate(1)
                        .skippedSlotRate(0)
                        .build();
        SyntheticReader r =
                new SyntheticReader(new TestReaderContext(), slow, SolanaTable.TRANSACTIONS);
        r.addSplits(List.of(new SlotRangeSplit(0, 100, 0)));
        CollectingOutput out = new CollectingOutput();
        assertThat(r.pollNext(out)).isEqualTo(InputStatus.MORE_AVAILABLE);
        int first = out.rows.size();
        assertThat(first).isPositive();
        // 40+ transactions at 1 tx/s: the next slot is due many seconds later.
        assertThat(r.pollNext(out)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        assertThat(r.isAvailable()).isNotDone();
        assertThat(out.rows).hasSize(first);
    }

    @Test
    void enumeratorCutsRangesAndTakesBackSplits() {
        TestEnumeratorContext<SlotRangeSplit> ctx = new TestEnumeratorContext<>(2);
        SyntheticEnumerator e =
                new SyntheticEnumerator(ctx, new SyntheticEnumeratorState(0, List.of()), 15L, 10);
        e.handleSplitRequest(0, null);
        e.handleSplitRequest(1, null);
        e.handleSplitRequest(1, null);
        assertThat(ctx.assigned.get(0)).containsExactly(new SlotRangeSplit(0, 10, 0));
        assertThat(ctx.assigned.get(1)).containsExactly(new SlotRangeSplit(10, 15, 10));
        assertThat(ctx.noMoreSplits).containsExactly(1);
        e.addSplitsBack(List.of(new SlotRangeSplit(0, 10, 4)), 0);
        assertThat(e.snapshotState(1))
                .isEqualTo(new SyntheticEnumeratorState(15, List.of(new SlotRangeSplit(0, 10, 4))));
        e.handleSplitRequest(0, null);
        assertThat(ctx.assigned.get(0)).endsWith(new SlotRangeSplit(0, 10, 4));
    }

    @Test
    void serializersRestoreFromReferenceBytes() throws IOException {
        SlotRangeSplit split = new SlotRangeSplit(1000, 1100, 1042);
        byte[] splitRef = SerializerReference.load("slot-range-split-v1");
        assertThat(SlotRangeSplitSerializer.INSTANCE.deserialize(1, splitRef)).isEqualTo(split);
        assertThat(SlotRangeSplitSerializer.INSTANCE.serialize(split)).isEqualTo(splitRef);
        SyntheticEnumeratorState state = new SyntheticEnumeratorState(1100, List.of(split));
        byte[] stateRef = SerializerReference.load("synthetic-enumerator-state-v1");
        assertThat(SyntheticEnumeratorStateSerializer.INSTANCE.deserialize(1, stateRef))
                .isEqualTo(state);
        assertThat(SyntheticEnumeratorStateSerializer.INSTANCE.serialize(state))
                .isEqualTo(stateRef);
    }
}
