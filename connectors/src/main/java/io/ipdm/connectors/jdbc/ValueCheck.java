package io.ipdm.connectors.jdbc;

import java.sql.Types;
import java.util.Collection;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * Checks a batch's values against the table's columns before its transaction starts, so a value a
 * column cannot hold (a number out of an INTEGER's range, a string longer than a VARCHAR(n), a null
 * in a NOT NULL column) fails the batch with the row and column named and nothing written.
 */
final class ValueCheck {
    private ValueCheck() {}

    /**
     * @param rows the rows about to be copied
     * @param checkpointRows the rows of this checkpoint interval so far, for the message
     */
    static void check(
            Collection<Row> rows,
            TableLayout t,
            List<TablePreparer.ColumnInfo> cols,
            String label,
            long checkpointRows) {
        for (Row row : rows) {
            for (int i = 0; i < t.fields.length; i++) {
                String problem = problem(row.getField(i), cols.get(i));
                if (problem != null) {
                    throw new DatabaseSinkException(
                            label
                                    + ": table "
                                    + t.display()
                                    + " column '"
                                    + cols.get(i).name()
                                    + "' ("
                                    + cols.get(i).typeName()
                                    + ") cannot hold "
                                    + problem
                                    + " in "
                                    + rowName(row, t)
                                    + "; nothing of this checkpoint's "
                                    + checkpointRows
                                    + " rows was written. Widen the column (ALTER TABLE "
                                    + t.display()
                                    + " ALTER COLUMN "
                                    + cols.get(i).name()
                                    + " TYPE "
                                    + t.dialect.sqlType(t.types[i])
                                    + "), or write to a new table");
                }
            }
        }
    }

    /** The row's key fields and the whole row. */
    private static String rowName(Row row, TableLayout t) {
        if (!t.keyed()) {
            return "row " + row;
        }
        StringBuilder b = new StringBuilder("the row with key ");
        for (int k = 0; k < t.keyIndexes.length; k++) {
            int f = t.keyIndexes[k];
            b.append(k == 0 ? "" : ", ").append(t.fields[f]).append('=');
            Object v = row.getField(f);
            b.append(v instanceof String s ? abbreviate(s) : String.valueOf(v));
        }
        return b.append(" (").append(row).append(')').toString();
    }

    private static String problem(Object v, TablePreparer.ColumnInfo c) {
        if (v == null) {
            return c.nullable() ? null : "null (the column is NOT NULL)";
        }
        long min;
        long max;
        switch (c.jdbcType()) {
            case Types.TINYINT -> {
                min = Byte.MIN_VALUE;
                max = Byte.MAX_VALUE;
            }
            case Types.SMALLINT -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case Types.INTEGER -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            case Types.VARCHAR, Types.CHAR, Types.NVARCHAR, Types.NCHAR -> {
                if (v instanceof String s
                        && c.size() > 0
                        && c.size() < (1 << 24)
                        && s.codePointCount(0, s.length()) > c.size()) {
                    return "the "
                            + s.codePointCount(0, s.length())
                            + "-character value '"
                            + abbreviate(s)
                            + "'";
                }
                return null;
            }
            case Types.BINARY, Types.VARBINARY -> {
                if (v instanceof byte[] b
                        && c.size() > 0
                        && c.size() < (1 << 24)
                        && b.length > c.size()) {
                    return "a " + b.length + "-byte value";
                }
                return null;
            }
            default -> {
                return null;
            }
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            long x = n.longValue();
            if (x < min || x > max) {
                return "the value " + x;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
