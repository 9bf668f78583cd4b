package io.ipdm.operators.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class AggregatorsTest {
    static final RowTypeInfo IN =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        Types.STRING,
                        Types.LONG,
                        Types.DOUBLE,
                        Types.INT,
                        Types.LONG,
                        Types.OBJECT_ARRAY(Types.STRING)
                    },
                    new String[] {"payer", "fee", "ratio", "index", "block_time", "program_ids"});

    static Row row(String payer, Long fee, Double ratio, Integer index, long time) {
        return Row.of(payer, fee, ratio, index, time, new String[] {"p"});
    }

    static final List<Row> ROWS =
            List.of(
                    row("b", 30L, 0.5, 3, 100),
                    row("a", 10L, 1.5, 1, 101),
                    row("c", null, null, null, 99),
                    row("a", 20L, -2.0, 2, 101),
                    row("b", 5L, 4.0, 7, 102));

    @SuppressWarnings("unchecked")
    static Object aggregate(AggregateSpec spec, List<Row> rows) {
        Aggregator<Object> a = (Aggregator<Object>) Aggregators.create(spec, IN);
        Object acc = a.createAccumulator();
        for (Row r : rows) {
            acc = a.add(acc, r);
        }
        return a.result(acc);
    }

    /** Splits the rows at every point into two accumulators, merges both ways; all must agree. */
    @SuppressWarnings("unchecked")
    static Object aggregateByMerging(AggregateSpec spec, List<Row> rows) {
        Aggregator<Object> a = (Aggregator<Object>) Aggregators.create(spec, IN);
        Object expected = a.result(fold(a, rows));
        for (int cut = 0; cut <= rows.size(); cut++) {
            Object left = fold(a, rows.subList(0, cut));
            Object right = fold(a, rows.subList(cut, rows.size()));
            assertThat(normalize(a.result(a.merge(left, right))))
                    .as("cut %d", cut)
                    .isEqualTo(normalize(expected));
            left = fold(a, rows.subList(0, cut));
            right = fold(a, rows.subList(cut, rows.size()));
            assertThat(normalize(a.result(a.merge(right, left))))
                    .as("cut %d reversed", cut)
                    .isEqualTo(normalize(expected));
        }
        return expected;
    }

    static Object fold(Aggregator<Object> a, List<Row> rows) {
        Object acc = a.createAccumulator();
        for (Row r : rows) {
            acc = a.add(acc, r);
        }
        return acc;
    }

    static Object normalize(Object o) {
        return o instanceof Object[] arr ? Arrays.asList(arr) : o;
    }

    @Test
    void numericAggregatesSkipNulls() {
        assertThat(aggregateByMerging(AggregateSpec.count("n"), ROWS)).isEqualTo(5L);
        assertThat(aggregateByMerging(AggregateSpec.count("n", "fee"), ROWS)).isEqualTo(4L);
        assertThat(aggregateByMerging(AggregateSpec.sum("s", "fee"), ROWS)).isEqualTo(65L);
        assertThat(aggregateByMerging(AggregateSpec.sum("s", "ratio"), ROWS)).isEqualTo(4.0);
        assertThat(aggregateByMerging(AggregateSpec.min("m", "fee"), ROWS)).isEqualTo(5L);
        assertThat(aggregateByMerging(AggregateSpec.max("m", "fee"), ROWS)).isEqualTo(30L);
        assertThat(aggregateByMerging(AggregateSpec.min("m", "ratio"), ROWS)).isEqualTo(-2.0);
        assertThat(aggregateByMerging(AggregateSpec.max("m", "index"), ROWS)).isEqualTo(7);
        assertThat(aggregateByMerging(AggregateSpec.avg("m", "fee"), ROWS)).isEqualTo(16.25);
        assertThat(aggregateByMerging(AggregateSpec.avg("m", "ratio"), ROWS)).isEqualTo(1.0);
    }

    @Test
    void resultsOverNoValuesAreNullExceptCount() {
        List<Row> nulls = List.of(row("c", null, null, null, 1));
        assertThat(aggregate(AggregateSpec.count("n", "fee"), nulls)).isEqualTo(0L);
        assertThat(aggregate(AggregateSpec.sum("s", "fee"), nulls)).isNull();
        assertThat(aggregate(AggregateSpec.min("s", "fee"), nulls)).isNull();
        assertThat(aggregate(AggregateSpec.avg("s", "ratio"), nulls)).isNull();
        assertThat(
                        aggregate(
                                AggregateSpec.quantiles("q", "fee", List.of(0.5), Precision.EXACT),
                                nulls))
                .isNull();
        assertThat(
                        aggregate(
                                AggregateSpec.quantiles(
                                        "q", "fee", List.of(0.5), Precision.APPROXIMATE),
                                nulls))
                .isNull();
        assertThat(aggregate(AggregateSpec.first("f", "fee", "block_time"), nulls)).isNull();
        assertThat(aggregate(AggregateSpec.topK("t", "fee", 3, Precision.EXACT), nulls))
                .isEqualTo("");
    }

    @Test
    void sumFailsLoudlyOnOverflow() {
        List<Row> big = List.of(row("a", Long.MAX_VALUE, 0.0, 0, 1), row("a", 1L, 0.0, 0, 1));
        assertThatThrownBy(() -> aggregate(AggregateSpec.sum("total", "fee"), big))
                .isInstanceOf(ArithmeticException.class)
                .hasMessage("aggregate 'total' (sum): the sum overflows a 64-bit integer");
    }

    @Test
    void minMaxOfStrings() {
        assertThat(aggregateByMerging(AggregateSpec.min("m", "payer"), ROWS)).isEqualTo("a");
        assertThat(aggregateByMerging(AggregateSpec.max("m", "payer"), ROWS)).isEqualTo("c");
    }

    @Test
    void firstAndLastByTimeBreakTiesByValue() {
        assertThat(aggregateByMerging(AggregateSpec.first("f", "payer", "block_time"), ROWS))
                .isEqualTo("c");
        assertThat(aggregateByMerging(AggregateSpec.last("l", "payer", "block_time"), ROWS))
                .isEqualTo("b");
        // block_time 101 holds fees 10 and 20: first of those would be 10, last 20
        List<Row> tied = ROWS.subList(1, 4);
        assertThat(aggregateByMerging(AggregateSpec.last("l", "fee", "block_time"), tied))
                .isEqualTo(20L);
        assertThat(
                        aggregateByMerging(
                                AggregateSpec.first("f", "fee", "block_time"), tied.subList(0, 1)))
                .isEqualTo(10L);
    }

    @Test
    void distinctAndTopKExact() {
        assertThat(
                        aggregateByMerging(
                                AggregateSpec.countDistinct("d", "payer", Precision.EXACT), ROWS))
                .isEqualTo(3L);
        assertThat(
                        aggregateByMerging(
                                AggregateSpec.countDistinct("d", "fee", Precision.EXACT), ROWS))
                .isEqualTo(4L);
        assertThat(aggregateByMerging(AggregateSpec.topK("t", "payer", 2, Precision.EXACT), ROWS))
                .isEqualTo("a:2,b:2");
        assertThat(aggregateByMerging(AggregateSpec.topK("t", "payer", 5, Precision.EXACT), ROWS))
                .isEqualTo("a:2,b:2,c:1");
    }

    @Test
    void topKEscapesSeparatorsAndControlCharacters() {
        List<Row> rows =
                List.of(
                        row("a,b:c", 1L, 0.0, 0, 1),
                        row("a,b:c", 1L, 0.0, 0, 1),
                        row("back\\slash \"q\"", 1L, 0.0, 0, 1),
                        row("line\nbreak\ttab\u0001", 1L, 0.0, 0, 1));
        String expected = "a\\,b\\:c:2,back\\\\slash \"q\":1,line\\nbreak\\ttab\\u0001:1";
        for (Precision p : Precision.values()) {
            assertThat(aggregate(AggregateSpec.topK("t", "payer", 3, p), rows))
                    .as("%s", p)
                    .isEqualTo(expected);
        }
    }

    @Test
    void quantilesExactUseTheInclusiveNearestRank() {
        assertThat(
                        aggregateByMerging(
                                AggregateSpec.quantiles(
                                        "q",
                                        "fee",
                                        List.of(0.0, 0.25, 0.5, 0.75, 1.0),
                                        Precision.EXACT),
                                ROWS))
                .isEqualTo(new Double[] {5.0, 5.0, 10.0, 20.0, 30.0});
    }

    @Test
    void approximateAggregatesMatchExactOnSmallInputs() {
        Random rnd = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            int p =
                    (int)
                            Math.floor(
                                    Math.pow(rnd.nextDouble(), 3)
                                            * 20); // skewed: few payers dominate
            rows.add(row("payer" + p, (long) rnd.nextInt(1000), rnd.nextDouble(), i, i));
        }
        assertThat(
                        aggregate(
                                AggregateSpec.countDistinct("d", "payer", Precision.APPROXIMATE),
                                rows))
                .isEqualTo(
                        aggregate(
                                AggregateSpec.countDistinct("d", "payer", Precision.EXACT), rows));
        assertThat(
                        aggregateByMerging(
                                AggregateSpec.topK("t", "payer", 3, Precision.APPROXIMATE), rows))
                .isEqualTo(aggregate(AggregateSpec.topK("t", "payer", 3, Precision.EXACT), rows));
        List<Double> ranks = List.of(0.0, 0.1, 0.5, 0.9, 0.95, 0.99, 1.0);
        assertThat(
                        aggregateByMerging(
                                AggregateSpec.quantiles("q", "fee", ranks, Precision.APPROXIMATE),
                                rows))
                .isEqualTo(
                        aggregate(
                                AggregateSpec.quantiles("q", "fee", ranks, Precision.EXACT), rows));
    }

    @Test
    void approximateAggregatesStayWithinTheirErrorBoundsOnLargeInputs() {
        Random rnd = new Random(11);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            rows.add(row("acct" + rnd.nextInt(50_000), (long) i, 0.0, 0, i));
        }
        long exactDistinct =
                (Long) aggregate(AggregateSpec.countDistinct("d", "payer", Precision.EXACT), rows);
        AggregateSpec hll = AggregateSpec.countDistinct("d", "payer", Precision.APPROXIMATE);
        long approxDistinct = (Long) aggregate(hll, rows);
        // lgK 12: relative standard error 1.04 / sqrt(4096) = 1.6%; 3 sigma
        assertThat((double) Math.abs(approxDistinct - exactDistinct) / exactDistinct)
                .isLessThan(0.05);
        // a union estimates a little differently from one sketch, within the same bound
        @SuppressWarnings("unchecked")
        Aggregator<Object> a = (Aggregator<Object>) Aggregators.create(hll, IN);
        long merged =
                (Long)
                        a.result(
                                a.merge(
                                        fold(a, rows.subList(0, 30_000)),
                                        fold(a, rows.subList(30_000, rows.size()))));
        assertThat((double) Math.abs(merged - exactDistinct) / exactDistinct).isLessThan(0.05);

        Double[] q =
                (Double[])
                        aggregate(
                                AggregateSpec.quantiles(
                                        "q", "fee", List.of(0.5, 0.99), Precision.APPROXIMATE),
                                rows);
        // fee is 0..99999 uniformly: value / n is its rank; KLL k=200 normalized rank error ~1.65%
        assertThat(Math.abs(q[0] / 100_000 - 0.5)).isLessThan(0.0165 * 2);
        assertThat(Math.abs(q[1] / 100_000 - 0.99)).isLessThan(0.0165 * 2);
    }

    @Test
    void specErrorsNameTheAggregate() {
        assertThatThrownBy(() -> Aggregators.create(AggregateSpec.sum("s", "payer"), IN))
                .hasMessage("aggregate 's' (sum): needs a numeric field, but 'payer' is String");
        assertThatThrownBy(() -> Aggregators.create(AggregateSpec.avg("s", "fees"), IN))
                .hasMessage(
                        "aggregate 's' (avg): unknown field 'fees'; known fields: payer, fee, ratio, index,"
                                + " block_time, program_ids");
        assertThatThrownBy(() -> Aggregators.create(AggregateSpec.sum("s", null), IN))
                .hasMessage("aggregate 's' (sum): needs an input field");
        assertThatThrownBy(
                        () ->
                                Aggregators.create(
                                        AggregateSpec.topK("t", "payer", 0, Precision.EXACT), IN))
                .hasMessage("aggregate 't' (top_k): k must be between 1 and 1000, got 0");
        assertThatThrownBy(
                        () ->
                                Aggregators.create(
                                        AggregateSpec.quantiles(
                                                "q", "fee", List.of(0.5, 1.5), Precision.EXACT),
                                        IN))
                .hasMessage("aggregate 'q' (quantiles): rank 1.5 is outside [0, 1]");
        assertThatThrownBy(
                        () ->
                                Aggregators.create(
                                        AggregateSpec.quantiles(
                                                "q", "fee", List.of(), Precision.EXACT),
                                        IN))
                .hasMessage("aggregate 'q' (quantiles): needs at least one rank, e.g. [0.5, 0.95]");
        assertThatThrownBy(() -> Aggregators.create(AggregateSpec.first("f", "fee", "payer"), IN))
                .hasMessage(
                        "aggregate 'f' (first): time field 'payer' must be an integer (Long), but it is String");
        assertThatThrownBy(
                        () ->
                                Aggregators.create(
                                        AggregateSpec.countDistinct(
                                                "d", "program_ids", Precision.EXACT),
                                        IN))
                .hasMessage(
                        "aggregate 'd' (count_distinct): needs a field of a simple type (number, string, bool), but"
                                + " 'program_ids' is BasicArrayTypeInfo<String>; explode the array first (RowExplode)");
        assertThatThrownBy(() -> Aggregators.create(AggregateSpec.count("bad name"), IN))
                .hasMessage(
                        "aggregate output name 'bad name' is not valid: use letters, digits and '_' (snake_case)");
        assertThatThrownBy(() -> AggregateKind.fromName("median"))
                .hasMessage(
                        "unknown aggregate 'median'; known aggregates: count, sum, min, max, avg, count_distinct,"
                                + " top_k, quantiles, first, last");
    }
}
