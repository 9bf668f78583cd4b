package io.ipdm.dataflow.sink;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * The top {@code n} rows of each window by a column, descending (ties in arrival order), keyed by
 * (window_start, window_end). A window's rows wait in list state until the watermark passes its end
 * (the window has closed on every upstream subtask), then its top rows go on; ties are broken by
 * the other columns in order, ascending, so the cut is the same on every run. A row that arrives
 * after its window was ranked (an update from late rows) is ranked with the others that arrive
 * before the next watermark.
 */
public final class TopPerWindow extends KeyedProcessFunction<Row, Row, Row> {
    @Serial private static final long serialVersionUID = 1L;

    private final RowTypeInfo type;
    private final int endIndex;
    private final int orderIndex;
    private final int n;
    private transient ListState<Row> rows;
    private transient ValueState<Long> timer;

    public TopPerWindow(RowTypeInfo type, int endIndex, int orderIndex, int n) {
        this.type = type;
        this.endIndex = endIndex;
        this.orderIndex = orderIndex;
        this.n = n;
    }

    @Override
    public void open(OpenContext context) {
        rows = getRuntimeContext().getListState(new ListStateDescriptor<>("window-rows", type));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
    }

    @Override
    public void processElement(Row row, Context ctx, Collector<Row> out) throws Exception {
        rows.add(row);
        if (timer.value() == null) {
            long at =
                    Math.max(
                            (Long) row.getField(endIndex) - 1,
                            ctx.timerService().currentWatermark() + 1);
            ctx.timerService().registerEventTimeTimer(at);
            timer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
        List<Row> all = new ArrayList<>();
        rows.get().forEach(all::add);
        all.sort(ranking());
        for (int i = 0; i < Math.min(n, all.size()); i++) {
            out.collect(all.get(i));
        }
        rows.clear();
        timer.clear();
    }

    private Comparator<Row> ranking() {
        return TableFormatter.ranking(type.getArity(), orderIndex);
    }
}
