package io.ipdm.dataflow.testing;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.TypedStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.types.Row;

/**
 * A task failure injected into a running job (in this JVM): throws once, in the first attempt of
 * subtask 0, after {@code after} rows, so the job restarts from its last checkpoint. Flink
 * serializes the function, so whether it has failed is kept in one static flag: {@link #arm()}
 * before a run, {@link #failed()} after it. Tests using it must not run concurrently.
 */
public final class FailOnce extends RichMapFunction<Row, Row> {
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    private final long after;
    private long seen;
    private boolean armed;

    public FailOnce(long after) {
        this.after = after;
    }

    /** Lets the next run fail once. */
    public static void arm() {
        FAILED.set(false);
    }

    /** Whether the failure happened since {@link #arm()}. */
    public static boolean failed() {
        return FAILED.get();
    }

    /**
     * The compile tap that puts a {@code FailOnce} right after source {@code sourceId} (other
     * streams pass unchanged); for {@code CompiledPipeline.compile(loaded, base, tap)}.
     */
    public static UnaryOperator<TypedStream> afterSource(String sourceId, long after) {
        return s -> s.id().equals(sourceId) ? wrap(s, after) : s;
    }

    private static TypedStream wrap(TypedStream s, long after) {
        return new TypedStream(
                s.id(),
                s.stream()
                        .map(new FailOnce(after))
                        .returns(s.type())
                        .uid(CompileContext.uid(s.id(), "fail-once")),
                s.type(),
                s.keyFields(),
                s.eventTime());
    }

    @Override
    public void open(OpenContext ctx) {
        armed = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0 && !FAILED.get();
    }

    @Override
    public Row map(Row row) {
        if (armed && ++seen == after && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + after + " rows");
        }
        return row;
    }
}
