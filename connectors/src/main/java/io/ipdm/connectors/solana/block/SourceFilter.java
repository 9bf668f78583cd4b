package io.ipdm.connectors.solana.block;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.types.Row;

/**
 * A row condition that a job's filter stage pushed down into a Solana source, as a Parquet reader
 * skips row groups its predicate excludes: the source drops the transactions the condition rules
 * out, before it decodes their metadata (Old Faithful: the zstd frame is not inflated; getBlock:
 * the {@code meta} object is checked and skipped, not built) and before Flink sees their rows.
 *
 * <p>The contract that keeps a job's results exact:
 *
 * <ul>
 *   <li>{@link Condition#drops} is true only when the stage the condition came from drops the row
 *       too, whatever the columns the condition does not read hold (a conjunct of the stage's
 *       {@code where} that is false makes the whole conjunction false);
 *   <li>it never throws: a row whose condition fails to evaluate is kept, and the stage, which
 *       stays in the job after the source, evaluates its whole condition on every kept row and
 *       fails or drops as it did without push-down;
 *   <li>it reads only {@linkplain Projection#metadataFree columns computed without the
 *       transaction's metadata}, and it is evaluated on a row of the projection's type in which
 *       only the columns it reads (and the metadata-free columns, for a block's watermark carrier)
 *       are set.
 * </ul>
 *
 * <p>Immutable and serializable (sources carry it to their readers); the condition is not
 * thread-safe, like a Flink function: each reader uses its own deserialized copy.
 */
public final class SourceFilter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The pushed-down condition over a projected row. */
    @FunctionalInterface
    public interface Condition extends Serializable {
        /** True only when the row is certainly dropped by the stage; never throws. */
        boolean drops(Row row);
    }

    private final String description;
    private final List<String> columns;
    private final Condition condition;

    /**
     * @param description what was pushed and from where, for plans and operator names (e.g. {@code
     *     "!is_vote" from stage non_vote})
     * @param columns the columns the condition reads
     */
    public SourceFilter(String description, Collection<String> columns, Condition condition) {
        this.description = Objects.requireNonNull(description, "description");
        this.columns = List.copyOf(columns);
        this.condition = Objects.requireNonNull(condition, "condition");
    }

    public String description() {
        return description;
    }

    /** The columns the condition reads. */
    public List<String> columns() {
        return columns;
    }

    /** Whether {@code row} is certainly dropped; a condition that throws keeps the row. */
    public boolean drops(Row row) {
        try {
            return condition.drops(row);
        } catch (RuntimeException e) {
            return false; // the stage after the source evaluates it again and reports it
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceFilter f
                && f.description.equals(description)
                && f.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return description.hashCode() * 31 + columns.hashCode();
    }

    @Override
    public String toString() {
        return description;
    }
}
