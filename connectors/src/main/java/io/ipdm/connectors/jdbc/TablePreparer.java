package io.ipdm.connectors.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Creates a sink's table from the row type, or checks an existing one against it: every field needs
 * a column of a type that can take it, and upserts need a primary key or unique index on exactly
 * the key columns. A mismatch names the column and both types. Also creates the commit log ({@link
 * CommitLog}).
 */
final class TablePreparer {
    private TablePreparer() {}

    /** The columns of the table in field order, after creating it if it was missing. */
    static List<ColumnInfo> prepare(Connection conn, TableLayout t, String label)
            throws SQLException {
        Map<String, ColumnInfo> existing = columns(conn, t);
        if (existing.isEmpty()) {
            try (Statement st = conn.createStatement()) {
                st.execute(t.createSql());
            } catch (SQLException e) {
                // another subtask may have created it at the same moment: fine if it exists now
                if (columns(conn, t).isEmpty()) {
                    throw e;
                }
            }
            existing = columns(conn, t);
        } else {
            check(conn, t, existing, label);
        }
        CommitLog.create(conn);
        List<ColumnInfo> inOrder = new ArrayList<>();
        for (String f : t.fields) {
            inOrder.add(existing.get(f));
        }
        return inOrder;
    }

    /** A column as JDBC metadata describes it. */
    record ColumnInfo(String name, int jdbcType, String typeName, int size, boolean nullable) {}

    private static Map<String, ColumnInfo> columns(Connection conn, TableLayout t)
            throws SQLException {
        DatabaseMetaData meta = conn.getMetaData();
        String schema = t.schema != null ? t.schema : conn.getSchema();
        Map<String, ColumnInfo> cols = new HashMap<>();
        try (ResultSet rs = meta.getColumns(null, schema, t.name, null)) {
            while (rs.next()) {
                String typeName = rs.getString("TYPE_NAME");
                cols.put(
                        rs.getString("COLUMN_NAME"),
                        new ColumnInfo(
                                rs.getString("COLUMN_NAME"),
                                rs.getInt("DATA_TYPE"),
                                typeName == null ? "?" : typeName.toLowerCase(Locale.ROOT),
                                rs.getInt("COLUMN_SIZE"),
                                rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
            }
        }
        return cols;
    }

    private static void check(
            Connection conn, TableLayout t, Map<String, ColumnInfo> existing, String label)
            throws SQLException {
        for (int i = 0; i < t.fields.length; i++) {
            ColumnInfo c = existing.get(t.fields[i]);
            String want = t.dialect.sqlType(t.types[i]);
            if (c == null) {
                throw new DatabaseSinkException(
                        label
                                + ": table "
                                + t.display()
                                + " has no column '"
                                + t.fields[i]
                                + "' for the stream's field of type "
                                + want
                                + " (it has: "
                                + String.join(", ", existing.keySet())
                                + "); add the column, or write to a new table");
            }
            if (!Dialect.acceptedColumnTypes(t.types[i]).contains(c.jdbcType())) {
                throw new DatabaseSinkException(
                        label
                                + ": table "
                                + t.display()
                                + " column '"
                                + c.name()
                                + "' is "
                                + c.typeName()
                                + ", but the stream's field '"
                                + t.fields[i]
                                + "' is "
                                + want
                                + "; alter the column to "
                                + want
                                + ", or write to a new table");
            }
        }
        for (ColumnInfo c : existing.values()) {
            if (!c.nullable() && !List.of(t.fields).contains(c.name())) {
                throw new DatabaseSinkException(
                        label
                                + ": table "
                                + t.display()
                                + " column '"
                                + c.name()
                                + "' is NOT NULL but the stream has no such field; drop the"
                                + " constraint, or write to a new table");
            }
        }
        if (t.keyed() && !hasKeyConstraint(conn, t)) {
            throw new DatabaseSinkException(
                    label
                            + ": table "
                            + t.display()
                            + " has no primary key or unique index on ("
                            + t.columnList(t.keyIndexes).replace("\"", "")
                            + "), which upserts of re-fired windows need; add one (CREATE UNIQUE"
                            + " INDEX ON "
                            + t.display()
                            + " ("
                            + t.columnList(t.keyIndexes).replace("\"", "")
                            + ")), or write to a new table");
        }
    }

    private static boolean hasKeyConstraint(Connection conn, TableLayout t) throws SQLException {
        Set<String> key = new LinkedHashSet<>();
        for (int k : t.keyIndexes) {
            key.add(t.fields[k]);
        }
        DatabaseMetaData meta = conn.getMetaData();
        String schema = t.schema != null ? t.schema : conn.getSchema();
        Set<String> pk = new LinkedHashSet<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, t.name)) {
            while (rs.next()) {
                pk.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (pk.equals(key)) {
            return true;
        }
        Map<String, Set<String>> unique = new HashMap<>();
        try (ResultSet rs = meta.getIndexInfo(null, schema, t.name, true, false)) {
            while (rs.next()) {
                String col = rs.getString("COLUMN_NAME");
                if (col != null) {
                    unique.computeIfAbsent(rs.getString("INDEX_NAME"), n -> new LinkedHashSet<>())
                            .add(col);
                }
            }
        } catch (SQLException e) {
            return false;
        }
        return unique.containsValue(key);
    }
}
