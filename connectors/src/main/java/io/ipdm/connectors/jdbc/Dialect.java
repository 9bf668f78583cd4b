package io.ipdm.connectors.jdbc;

import java.math.BigDecimal;
import java.sql.Types;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What differs between the databases a sink writes to: the SQL type of each Flink field type and
 * the product name used in messages. Both speak {@code INSERT ... ON CONFLICT (...) DO UPDATE}.
 */
public enum Dialect {
    POSTGRES("postgres", "PostgreSQL"),
    DUCKDB("duckdb", "DuckDB");

    private final String kind;
    private final String product;

    Dialect(String kind, String product) {
        this.kind = kind;
        this.product = product;
    }

    /** The pipeline kind name ({@code postgres}, {@code duckdb}). */
    public String kind() {
        return kind;
    }

    /** The product name for messages. */
    public String product() {
        return product;
    }

    /** The column type a created table gets for a field of type {@code t}; null when none fits. */
    public String sqlType(TypeInformation<?> t) {
        Class<?> c = t.getTypeClass();
        if (t.equals(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)) {
            return this == POSTGRES ? "BYTEA" : "BLOB";
        }
        if (!(t instanceof BasicTypeInfo<?>)) {
            return null;
        }
        if (c == Long.class) {
            return "BIGINT";
        } else if (c == Integer.class) {
            return "INTEGER";
        } else if (c == Short.class || c == Byte.class) {
            return "SMALLINT";
        } else if (c == Double.class) {
            return this == POSTGRES ? "DOUBLE PRECISION" : "DOUBLE";
        } else if (c == Float.class) {
            return "REAL";
        } else if (c == Boolean.class) {
            return "BOOLEAN";
        } else if (c == String.class || c == Character.class) {
            return this == POSTGRES ? "TEXT" : "VARCHAR";
        } else if (c == BigDecimal.class) {
            return "NUMERIC";
        }
        return null;
    }

    /**
     * The {@link java.sql.Types} codes an existing column may have to take a field of type {@code
     * t}. Narrower integer and character columns are accepted; their values are checked before a
     * transaction starts ({@link ValueCheck}).
     */
    static Set<Integer> acceptedColumnTypes(TypeInformation<?> t) {
        Class<?> c = t.getTypeClass();
        if (t.equals(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)) {
            return Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB);
        }
        if (c == Long.class || c == Integer.class || c == Short.class || c == Byte.class) {
            return Set.of(
                    Types.BIGINT,
                    Types.INTEGER,
                    Types.SMALLINT,
                    Types.TINYINT,
                    Types.NUMERIC,
                    Types.DECIMAL);
        } else if (c == Double.class || c == Float.class) {
            return Set.of(Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL);
        } else if (c == Boolean.class) {
            return Set.of(Types.BOOLEAN, Types.BIT);
        } else if (c == String.class || c == Character.class) {
            return Set.of(
                    Types.VARCHAR,
                    Types.CHAR,
                    Types.LONGVARCHAR,
                    Types.NVARCHAR,
                    Types.NCHAR,
                    Types.LONGNVARCHAR,
                    Types.CLOB);
        } else if (c == BigDecimal.class) {
            return Set.of(Types.NUMERIC, Types.DECIMAL);
        }
        return Set.of();
    }

    /** A double-quoted SQL identifier. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
