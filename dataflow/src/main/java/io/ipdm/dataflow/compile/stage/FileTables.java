package io.ipdm.dataflow.compile.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.dataflow.spec.StageSpec;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableDescriptor;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * A {@code kind: sql} stage's {@code tables:}: small, bounded tables read from a CSV (header line
 * first) or JSON Lines file when the job is compiled, and carried inside the job (so a cluster's
 * TaskManagers need no copy of the file). Flink knows them as the connector {@code ipdm-file}.
 *
 * <p>Joined as a lookup table, {@code JOIN mints FOR SYSTEM_TIME AS OF t.proctime AS m ON t.mint =
 * m.mint}, each row is enriched as it arrives: no join state, the stream's rowtime kept (windows
 * may follow), and a row whose key the file lacks is dropped by an inner join or kept with nulls by
 * a LEFT JOIN. The table may also be scanned (a bounded stream of its rows).
 */
public final class FileTables implements DynamicTableSourceFactory {
    static final String CONNECTOR = "ipdm-file";

    /** At most this many bytes are read into a job. */
    static final long MAX_BYTES = 64L << 20;

    static final ConfigOption<String> PATH =
            ConfigOptions.key("path").stringType().noDefaultValue();
    static final ConfigOption<String> TYPES =
            ConfigOptions.key("ipdm.types").stringType().noDefaultValue();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Flink table for {@code t}, its file resolved against {@code baseDir}. */
    static TableDescriptor descriptor(StageSpec.SqlTable t, Path baseDir) {
        Schema.Builder schema = Schema.newBuilder();
        for (Map.Entry<String, String> c : t.columns().entrySet()) {
            schema.column(c.getKey(), sqlType(c.getValue()));
        }
        return TableDescriptor.forConnector(CONNECTOR)
                .schema(schema.build())
                .option(PATH, baseDir.resolve(t.path()).toAbsolutePath().normalize().toString())
                .option(TYPES, String.join(",", t.columns().values()))
                .build();
    }

    private static DataType sqlType(String t) {
        return switch (t) {
            case "BIGINT" -> DataTypes.BIGINT();
            case "INT" -> DataTypes.INT();
            case "DOUBLE" -> DataTypes.DOUBLE();
            case "BOOLEAN" -> DataTypes.BOOLEAN();
            default -> DataTypes.STRING();
        };
    }

    @Override
    public String factoryIdentifier() {
        return CONNECTOR;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(PATH, TYPES);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        Path file = Path.of(helper.getOptions().get(PATH));
        RowType type = (RowType) context.getPhysicalRowDataType().getLogicalType();
        List<String> names = type.getFieldNames();
        List<String> types = List.of(helper.getOptions().get(TYPES).split(","));
        try {
            return new Source(file.getFileName().toString(), type, read(file, names, types));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "table file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The rows of {@code file}, values in the column order of {@code names}.
     *
     * @throws IllegalArgumentException naming the file, line and column of a bad value
     */
    static List<Object[]> read(Path file, List<String> names, List<String> types)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "table file "
                            + file
                            + " does not exist; paths are relative to the pipeline file");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "table file "
                            + file
                            + " has "
                            + Files.size(file)
                            + " bytes, more than the "
                            + MAX_BYTES
                            + " a job carries; load a large table as a stream instead");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String name = file.getFileName().toString();
        List<Object[]> rows = new ArrayList<>();
        if (name.endsWith(".csv")) {
            if (lines.isEmpty()) {
                throw new IllegalArgumentException(
                        name + ": empty; the first line names the columns");
            }
            List<String> header = Csv.split(lines.get(0), name, 1);
            int[] at = new int[names.size()];
            for (int i = 0; i < names.size(); i++) {
                at[i] = header.indexOf(names.get(i));
                if (at[i] < 0) {
                    throw new IllegalArgumentException(
                            name
                                    + ":1: no column '"
                                    + names.get(i)
                                    + "' in the header line; it has "
                                    + String.join(", ", header));
                }
            }
            for (int l = 1; l < lines.size(); l++) {
                if (lines.get(l).isBlank()) {
                    continue;
                }
                List<String> cells = Csv.split(lines.get(l), name, l + 1);
                Object[] row = new Object[names.size()];
                for (int i = 0; i < row.length; i++) {
                    String cell = at[i] < cells.size() ? cells.get(at[i]) : "";
                    row[i] =
                            cell.isEmpty()
                                    ? null
                                    : value(cell, types.get(i), name, l + 1, names.get(i));
                }
                rows.add(row);
            }
        } else {
            for (int l = 0; l < lines.size(); l++) {
                if (lines.get(l).isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(lines.get(l));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            name
                                    + ":"
                                    + (l + 1)
                                    + ": not a JSON object: "
                                    + e.getOriginalMessage());
                }
                Object[] row = new Object[names.size()];
                for (int i = 0; i < row.length; i++) {
                    JsonNode v = n.get(names.get(i));
                    row[i] =
                            v == null || v.isNull()
                                    ? null
                                    : value(v.asText(), types.get(i), name, l + 1, names.get(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Object value(String s, String type, String file, int line, String column) {
        try {
            return switch (type) {
                case "BIGINT" -> Long.parseLong(s.strip());
                case "INT" -> Integer.parseInt(s.strip());
                case "DOUBLE" -> Double.parseDouble(s.strip());
                case "BOOLEAN" -> {
                    if (!s.strip().equals("true") && !s.strip().equals("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(s.strip());
                }
                default -> s;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    file
                            + ":"
                            + line
                            + ": column "
                            + column
                            + ": '"
                            + s
                            + "' is not "
                            + (type.equals("INT") ? "an " : "a ")
                            + type);
        }
    }

    /** CSV cells: comma-separated, double quotes around a cell that holds commas or quotes. */
    static final class Csv {
        private Csv() {}

        static List<String> split(String line, String file, int lineNo) {
            List<String> out = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"' && cell.isEmpty()) {
                    quoted = true;
                } else if (c == ',') {
                    out.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException(
                        file + ":" + lineNo + ": a quoted cell is not closed");
            }
            out.add(cell.toString());
            return out;
        }
    }

    /** Rows as Flink's internal data. */
    private static GenericRowData internal(Object[] row) {
        GenericRowData r = new GenericRowData(row.length);
        for (int i = 0; i < row.length; i++) {
            r.setField(i, row[i] instanceof String s ? StringData.fromString(s) : row[i]);
        }
        return r;
    }

    /** The table: its rows, for lookups and scans. */
    private static final class Source implements LookupTableSource, ScanTableSource {
        private final String name;
        private final RowType type;
        private final List<Object[]> rows;

        Source(String name, RowType type, List<Object[]> rows) {
            this.name = name;
            this.type = type;
            this.rows = rows;
        }

        @Override
        public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
            int[][] keys = context.getKeys();
            int[] at = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].length != 1) {
                    throw new IllegalArgumentException(
                            "table " + name + ": join on top-level columns only");
                }
                at[i] = keys[i][0];
            }
            List<LogicalType> keyTypes = new ArrayList<>();
            for (int k : at) {
                keyTypes.add(type.getTypeAt(k));
            }
            return LookupFunctionProvider.of(new Lookup(rows, at, keyTypes));
        }

        @Override
        public ChangelogMode getChangelogMode() {
            return ChangelogMode.insertOnly();
        }

        @Override
        public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
            List<Object[]> all = rows;
            RowType t = type;
            return new DataStreamScanProvider() {
                @Override
                public DataStream<RowData> produceDataStream(
                        ProviderContext provider, StreamExecutionEnvironment env) {
                    List<RowData> data = new ArrayList<>();
                    for (Object[] r : all) {
                        data.add(internal(r));
                    }
                    return env.fromData(data, InternalTypeInfo.of(t))
                            .name("table " + name)
                            .uid(provider.generateUid("table-" + name).orElse("table-" + name));
                }

                @Override
                public boolean isBounded() {
                    return true;
                }
            };
        }

        @Override
        public DynamicTableSource copy() {
            return new Source(name, type, rows);
        }

        @Override
        public String asSummaryString() {
            return "table file " + name + " (" + rows.size() + " rows)";
        }
    }

    /** Finds a key's rows in a hash index built when the task opens. */
    public static final class Lookup extends LookupFunction implements Serializable {
        @Serial private static final long serialVersionUID = 1L;

        private final List<Object[]> rows;
        private final int[] keyFields;
        private final List<LogicalType> keyTypes;
        private transient Map<List<Object>, List<RowData>> index;
        private transient RowData.FieldGetter[] getters;

        Lookup(List<Object[]> rows, int[] keyFields, List<LogicalType> keyTypes) {
            this.rows = new ArrayList<>(rows);
            this.keyFields = keyFields;
            this.keyTypes = List.copyOf(keyTypes);
        }

        @Override
        public void open(FunctionContext context) {
            index = new HashMap<>();
            for (Object[] r : rows) {
                List<Object> key = new ArrayList<>(keyFields.length);
                for (int k : keyFields) {
                    key.add(r[k]);
                }
                index.computeIfAbsent(key, x -> new ArrayList<>()).add(internal(r));
            }
            getters = new RowData.FieldGetter[keyFields.length];
            for (int i = 0; i < getters.length; i++) {
                getters[i] = RowData.createFieldGetter(keyTypes.get(i), i);
            }
        }

        @Override
        public Collection<RowData> lookup(RowData keyRow) {
            List<Object> key = new ArrayList<>(getters.length);
            for (RowData.FieldGetter g : getters) {
                Object v = g.getFieldOrNull(keyRow);
                key.add(v instanceof StringData s ? s.toString() : v);
            }
            return index.getOrDefault(key, List.of());
        }
    }
}
