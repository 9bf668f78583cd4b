package io.ipdm.connectors.jdbc;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * The table a sink writes: one column per field of the row type, named as the field, the key fields
 * as its primary key. Builds the statements the sink runs.
 */
final class TableLayout {
    final Dialect dialect;
    final String schema;
    final String name;
    final String[] fields;
    final TypeInformation<?>[] types;
    final int[] keyIndexes;

    TableLayout(Dialect dialect, String table, RowTypeInfo type, List<String> key) {
        this.dialect = dialect;
        int dot = table.indexOf('.');
        this.schema = dot < 0 ? null : table.substring(0, dot);
        this.name = dot < 0 ? table : table.substring(dot + 1);
        this.fields = type.getFieldNames();
        this.types = type.getFieldTypes();
        this.keyIndexes = new int[key.size()];
        for (int i = 0; i < key.size(); i++) {
            int idx = type.getFieldIndex(key.get(i));
            if (idx < 0) {
                throw new IllegalArgumentException(
                        "key field '" + key.get(i) + "' is not a field of the stream");
            }
            keyIndexes[i] = idx;
        }
        for (int i = 0; i < fields.length; i++) {
            if (dialect.sqlType(types[i]) == null) {
                throw new IllegalArgumentException(
                        "field '"
                                + fields[i]
                                + "' has type "
                                + types[i]
                                + ", which has no "
                                + dialect.product()
                                + " column type (scalar fields only: integers, floats, booleans,"
                                + " strings, bytes, decimals); drop it with a project stage");
            }
        }
    }

    boolean keyed() {
        return keyIndexes.length > 0;
    }

    String qualified() {
        return schema == null
                ? Dialect.quote(name)
                : Dialect.quote(schema) + "." + Dialect.quote(name);
    }

    /** The table name as the user wrote it, for messages. */
    String display() {
        return schema == null ? name : schema + "." + name;
    }

    String createSql() {
        StringBuilder b = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualified());
        b.append(" (");
        for (int i = 0; i < fields.length; i++) {
            b.append(i == 0 ? "" : ", ").append(Dialect.quote(fields[i])).append(' ');
            b.append(dialect.sqlType(types[i]));
            if (isKey(i)) {
                b.append(" NOT NULL");
            }
        }
        if (keyed()) {
            b.append(", PRIMARY KEY (").append(columnList(keyIndexes)).append(')');
        }
        return b.append(')').toString();
    }

    boolean isKey(int field) {
        for (int k : keyIndexes) {
            if (k == field) {
                return true;
            }
        }
        return false;
    }

    String columnList(int[] indexes) {
        List<String> names = new ArrayList<>();
        for (int i : indexes) {
            names.add(Dialect.quote(fields[i]));
        }
        return String.join(", ", names);
    }

    String allColumns() {
        List<String> names = new ArrayList<>();
        for (String f : fields) {
            names.add(Dialect.quote(f));
        }
        return String.join(", ", names);
    }

    /** The conflict clause: replace every non-key column of the row with the new value. */
    String onConflict() {
        if (!keyed()) {
            return "";
        }
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            if (!isKey(i)) {
                String c = Dialect.quote(fields[i]);
                sets.add(c + " = EXCLUDED." + c);
            }
        }
        return " ON CONFLICT ("
                + columnList(keyIndexes)
                + ") "
                + (sets.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", sets));
    }

    String deleteSql() {
        List<String> conds = new ArrayList<>();
        for (int k : keyIndexes) {
            conds.add(Dialect.quote(fields[k]) + " = ?");
        }
        return "DELETE FROM " + qualified() + " WHERE " + String.join(" AND ", conds);
    }
}
