package io.ipdm.operators.expr;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.types.Row;

/**
 * Per-row cost of a filter and a projection: hand-written Java (the baseline), IPDM's compiled
 * expressions, and CEL's interpreter, in the same run. Prints ns per row and the ratios. Run by
 * hand (see docs/BENCHMARKS.md); tests never assert on time.
 */
final class ExpressionBench {
    private static final int ROWS = 4096;
    private static final int ROUNDS = 400;

    public static void main(String[] args) throws Exception {
        Row[] rows = new Row[ROWS];
        for (int i = 0; i < ROWS; i++) {
            String[] programs =
                    i % 4 == 0
                            ? new String[] {"Vote111"}
                            : new String[] {"Token", "Other" + (i % 7)};
            rows[i] =
                    RowExpressionTest.tx(
                            i * 3L, i % 10 != 0, i % 5 == 0 ? null : (long) i * 10, programs);
        }
        String condition = "success && fee > 5000 && !('Vote111' in program_ids)";
        FilterFunction<Row> java =
                r ->
                        Boolean.TRUE.equals(r.getField(4))
                                && (Long) r.getField(3) > 5000
                                && !Arrays.asList((String[]) r.getField(6)).contains("Vote111");
        RowFilter compiled = RowFilter.of(condition, RowExpressionTest.TX);
        FilterFunction<Row> interpreted =
                new RowFilterForBench(
                        RowExpression.compile(condition, RowExpressionTest.TX, false));
        if (!compiled.condition().isNative()) {
            throw new IllegalStateException("the benchmark condition should compile to Java");
        }

        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("fee_payer", "fee_payer");
        cols.put("fee_sol", "double(fee) / 1e9");
        cols.put("programs", "size(program_ids)");
        MapFunction<Row, Row> javaProjection =
                r ->
                        Row.of(
                                r.getField(2),
                                ((Long) r.getField(3)).doubleValue() / 1e9,
                                (long) ((String[]) r.getField(6)).length);
        RowProjection projection = RowProjection.of(cols, RowExpressionTest.TX);

        for (int warm = 0; warm < 3; warm++) {
            filter(java, rows);
            filter(compiled, rows);
            filter(interpreted, rows);
            map(javaProjection, rows);
            map(projection, rows);
        }
        double tJava = filter(java, rows);
        double tCompiled = filter(compiled, rows);
        double tCel = filter(interpreted, rows);
        double tJavaMap = map(javaProjection, rows);
        double tMap = map(projection, rows);
        System.out.printf("filter '%s'%n", condition);
        System.out.printf("  hand-written Java   %7.1f ns/row%n", tJava);
        System.out.printf(
                "  IPDM compiled       %7.1f ns/row  (%.2fx the Java baseline)%n",
                tCompiled, tCompiled / tJava);
        System.out.printf(
                "  CEL interpreter     %7.1f ns/row  (%.2fx the Java baseline)%n",
                tCel, tCel / tJava);
        System.out.printf("projection %s%n", cols);
        System.out.printf("  hand-written Java   %7.1f ns/row%n", tJavaMap);
        System.out.printf(
                "  IPDM compiled       %7.1f ns/row  (%.2fx the Java baseline)%n",
                tMap, tMap / tJavaMap);
    }

    private static double filter(FilterFunction<Row> f, Row[] rows) throws Exception {
        long kept = 0;
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            for (Row r : rows) {
                if (f.filter(r)) {
                    kept++;
                }
            }
        }
        double ns = (System.nanoTime() - start) / (double) (ROUNDS * ROWS);
        if (kept == 0) {
            throw new IllegalStateException("nothing passed the filter");
        }
        return ns;
    }

    private static double map(MapFunction<Row, Row> f, Row[] rows) throws Exception {
        long sink = 0;
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            for (Row r : rows) {
                sink += f.map(r).getArity();
            }
        }
        double ns = (System.nanoTime() - start) / (double) (ROUNDS * ROWS);
        if (sink == 0) {
            throw new IllegalStateException();
        }
        return ns;
    }

    /** A filter over an already compiled expression (here: forced onto the interpreter). */
    private record RowFilterForBench(RowExpression e) implements FilterFunction<Row> {
        @Override
        public boolean filter(Row row) {
            return e.test(row);
        }
    }
}
