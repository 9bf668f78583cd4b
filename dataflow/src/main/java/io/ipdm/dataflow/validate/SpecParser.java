package io.ipdm.dataflow.validate;

import io.ipdm.dataflow.compile.Kinds;
import io.ipdm.dataflow.compile.SourceKind;
import io.ipdm.dataflow.compile.StageKind;
import io.ipdm.dataflow.compile.stage.Modules;
import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.EventTimeSpec;
import io.ipdm.dataflow.spec.ModuleSpec;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.RuntimeSpec;
import io.ipdm.dataflow.spec.RuntimeSpec.RestartSpec;
import io.ipdm.dataflow.spec.SinkSpec;
import io.ipdm.dataflow.spec.SourceMap;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.spec.WindowDef;
import io.ipdm.dataflow.validate.NodeReader.Block;
import io.ipdm.dataflow.yaml.Location;
import io.ipdm.dataflow.yaml.YNode;
import io.ipdm.dataflow.yaml.YNode.Entry;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** YAML tree -> {@link PipelineSpec} records, reporting every shape error with its location. */
public final class SpecParser {
    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    /**
     * The keys each block may have, in the order error messages list them. Stages have the common
     * keys (the {@code stage} entry) plus their kind's ({@link StageKind#keys()}).
     */
    private static final Map<String, List<String>> KEYS =
            Map.ofEntries(
                    Map.entry(
                            "pipeline",
                            List.of(
                                    "name",
                                    "description",
                                    "event_time",
                                    "sources",
                                    "stages",
                                    "sinks",
                                    "runtime",
                                    "modules")),
                    Map.entry(
                            "event_time",
                            List.of(
                                    "field",
                                    "unit",
                                    "max_out_of_orderness",
                                    "idleness",
                                    "watermarks")),
                    Map.entry("source", List.of("id", "kind", "table", "options", "event_time")),
                    Map.entry("sink", List.of("id", "kind", "input", "options")),
                    Map.entry("module", List.of("id", "path", "cid", "config")),
                    Map.entry("stage", List.of("id", "kind", "input")),
                    Map.entry(
                            "window",
                            List.of(
                                    "type",
                                    "size",
                                    "slide",
                                    "gap",
                                    "step",
                                    "allowed_lateness",
                                    "late_output")),
                    Map.entry(
                            "aggregate", List.of("name", "fn", "field", "mode", "k", "quantiles")),
                    Map.entry("wasm_aggregate", List.of("wasm", "fields", "columns", "batch")),
                    Map.entry("sql_table", List.of("name", "path", "columns")),
                    Map.entry(
                            "runtime",
                            List.of(
                                    "parallelism",
                                    "state_backend",
                                    "checkpoint_interval",
                                    "state_dir",
                                    "checkpoint_dir",
                                    "restart",
                                    "metrics_port",
                                    "attest",
                                    "pre_aggregate")),
                    Map.entry("restart", List.of("strategy", "attempts", "delay")));

    private final NodeReader r;

    private SpecParser(SourceMap map) {
        this.r = new NodeReader(map);
    }

    /**
     * The map at {@code node} as a block with the keys of {@code names} (keys of {@link #KEYS}),
     * its unknown keys reported; null (with the error recorded) when it is not a map.
     */
    private Block block(YNode node, String path, String... names) {
        List<String> keys = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith("stage.")) {
                for (OptionSpec o : Kinds.STAGES.get(name.substring(6)).keys()) {
                    keys.add(o.key());
                }
            } else {
                keys.addAll(KEYS.get(name));
            }
        }
        Block b = r.block(node, path, keys.toArray(String[]::new));
        if (b != null) {
            b.checkKeys();
        }
        return b;
    }

    /** A parsed pipeline with the locations of its key paths. */
    public record Parsed(PipelineSpec spec, SourceMap sourceMap) {}

    public static Parsed parse(YNode root, Location fileStart) {
        SourceMap map = new SourceMap(fileStart);
        SpecParser p = new SpecParser(map);
        PipelineSpec spec = p.pipeline(root);
        if (!p.r.errors.isEmpty()) {
            throw new PipelineException(p.r.errors);
        }
        return new Parsed(spec, map);
    }

    private PipelineSpec pipeline(YNode root) {
        Block b = block(root, "", "pipeline");
        if (b == null) {
            return null;
        }
        String name = b.string("name", true);
        if (name != null && !ID.matcher(name).matches()) {
            r.error(b.get("name"), "name", "invalid name '" + name + "'; " + idRule());
        }
        String description = b.string("description", false);
        YNode et = b.get("event_time");
        EventTimeSpec eventTime = et == null ? null : eventTime(et, "event_time");
        List<SourceSpec> sources = items(b.required("sources"), "sources", this::source);
        List<StageSpec> stages = items(b.get("stages"), "stages", this::stage);
        List<SinkSpec> sinks = items(b.required("sinks"), "sinks", this::sink);
        YNode rt = b.get("runtime");
        RuntimeSpec runtime = rt == null ? null : runtime(rt, "runtime");
        List<ModuleSpec> modules = items(b.get("modules"), "modules", this::module);
        if (b.get("sources") != null && sources.isEmpty() && r.errors.isEmpty()) {
            r.error(b.get("sources"), "sources", "at least one source is needed");
        }
        if (b.get("sinks") != null && sinks.isEmpty() && r.errors.isEmpty()) {
            r.error(b.get("sinks"), "sinks", "at least one sink is needed");
        }
        return new PipelineSpec(
                name, description, eventTime, sources, stages, sinks, runtime, modules);
    }

    private interface ItemParser<T> {
        T parse(YNode node, String path);
    }

    private <T> List<T> items(YNode node, String path, ItemParser<T> parser) {
        List<T> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        List<YNode> items = r.list(node, path);
        if (items == null) {
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            YNode item = items.get(i);
            String itemPath = path + "[" + i + "]";
            r.sourceMap.put(itemPath, item.location());
            if (item instanceof YMap m
                    && m.get("id") instanceof YScalar id
                    && id.value() instanceof String s
                    && ID.matcher(s).matches()) {
                itemPath = path + "." + s;
            }
            T t = parser.parse(item, itemPath);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private String id(Block b) {
        String id = b.string("id", true);
        if (id != null && !ID.matcher(id).matches()) {
            r.error(b.get("id"), b.keyPath("id"), "invalid id '" + id + "'; " + idRule());
            return null;
        }
        return id;
    }

    private static String idRule() {
        return "use letters, digits, '_' and '-', starting with a letter or '_'";
    }

    private EventTimeSpec eventTime(YNode node, String path) {
        Block b = block(node, path, "event_time");
        if (b == null) {
            return null;
        }
        String field = b.string("field", true);
        return new EventTimeSpec(
                field,
                b.choice("unit", EventTimeSpec.TimeUnit.values(), EventTimeSpec.TimeUnit::yaml),
                b.duration("max_out_of_orderness"),
                b.duration("idleness"),
                b.choice(
                        "watermarks",
                        EventTimeSpec.Watermarks.values(),
                        EventTimeSpec.Watermarks::yaml));
    }

    private SourceSpec source(YNode node, String path) {
        Block b = block(node, path, "source");
        if (b == null) {
            return null;
        }
        String id = id(b);
        YNode k = b.required("kind");
        String kind =
                k == null
                        ? null
                        : r.oneOf(k, b.keyPath("kind"), Kinds.SOURCES.keySet(), "source kind");
        SourceKind sk = kind == null ? null : Kinds.SOURCES.get(kind);
        // Some kinds (gossipsub) declare their rows in their options; the others read a table.
        String table = b.string("table", sk != null && sk.readsTable());
        Map<String, Object> options = options(b, "options", sk == null ? null : sk.options());
        YNode et = b.get("event_time");
        EventTimeSpec eventTime = et == null ? null : eventTime(et, b.keyPath("event_time"));
        return new SourceSpec(id, kind, table, options, eventTime);
    }

    private SinkSpec sink(YNode node, String path) {
        Block b = block(node, path, "sink");
        if (b == null) {
            return null;
        }
        String id = id(b);
        YNode k = b.required("kind");
        String kind =
                k == null ? null : r.oneOf(k, b.keyPath("kind"), Kinds.SINKS.keySet(), "sink kind");
        String input = b.string("input", true);
        Map<String, Object> options =
                options(b, "options", kind == null ? null : Kinds.SINKS.get(kind).options());
        return new SinkSpec(id, kind, input, options);
    }

    private ModuleSpec module(YNode node, String path) {
        Block b = block(node, path, "module");
        if (b == null) {
            return null;
        }
        String id = id(b);
        String file = b.string("path", false);
        String cid = b.string("cid", false);
        if (file == null && cid == null && r.errors.isEmpty()) {
            r.error(
                    b.map,
                    path,
                    "a module needs 'path' (a .wasm file) or 'cid' (a module added with `ipdm"
                            + " wasm add`), or both to pin the file's CID");
        }
        Map<String, Object> config = options(b, "config", Modules.CONFIG);
        return new ModuleSpec(id, file, cid, config);
    }

    private StageSpec stage(YNode node, String path) {
        if (!(node instanceof YMap m)) {
            block(node, path, "stage");
            return null;
        }
        YNode kindNode = m.get("kind");
        String kind = null;
        if (kindNode == null) {
            r.error(
                    m,
                    path,
                    "missing required key 'kind'; allowed: "
                            + String.join(", ", Kinds.STAGES.keySet()));
        } else {
            kind =
                    r.oneOf(
                            kindNode,
                            NodeReader.child(path, "kind"),
                            Kinds.STAGES.keySet(),
                            "stage kind");
        }
        if (kind == null) {
            return null;
        }
        Block b = block(node, path, "stage", "stage." + kind);
        b.get("kind");
        String id = id(b);
        if (kind.equals("sql")) {
            List<String> inputs = names(b, "input", true);
            return new StageSpec.Sql(
                    id,
                    inputs == null ? List.of() : inputs,
                    b.string("query", true),
                    items(b.get("tables"), b.keyPath("tables"), this::sqlTable));
        }
        String input = b.string("input", true);
        return switch (kind) {
            case "filter" -> new StageSpec.Filter(id, input, b.string("where", true));
            case "project" -> new StageSpec.Project(id, input, projections(b));
            case "explode" ->
                    new StageSpec.Explode(
                            id,
                            input,
                            b.string("field", true),
                            b.string("as", false),
                            bool(b, "distinct"));
            case "key_by" -> new StageSpec.KeyBy(id, input, names(b, "fields", true));
            case "window" -> window(b, id, input);
            default -> {
                String module = b.string("module", true);
                String function = b.string("function", true);
                Map<String, Object> options =
                        options(b, "options", Kinds.STAGES.get(kind).options());
                yield new StageSpec.Wasm(id, input, module, function, options);
            }
        };
    }

    /**
     * The {@code key:} map of {@code b} checked against the declared {@code specs} (null: the kind
     * is unknown, already reported): unknown keys with a suggestion, values of the wrong type and
     * missing required options are reported with the file's other mistakes.
     */
    private Map<String, Object> options(Block b, String key, List<OptionSpec> specs) {
        YNode o = b.get(key);
        String path = b.keyPath(key);
        Map<String, Object> values = o == null ? Map.of() : r.options(o, path);
        if (specs == null || (o != null && !(o instanceof YMap))) {
            return values;
        }
        Map<String, OptionSpec> byKey = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            byKey.put(spec.key(), spec);
        }
        if (o instanceof YMap m) {
            for (Entry e : m.entries().values()) {
                OptionSpec spec = byKey.get(e.key());
                String p = path + "." + e.key();
                if (!values.containsKey(e.key())) {
                    continue; // its value is wrong, and reported
                }
                if (spec == null) {
                    String near = Suggest.closest(e.key(), byKey.keySet());
                    r.error(
                            e.value(),
                            p,
                            "unknown option '"
                                    + e.key()
                                    + "'"
                                    + (near == null ? "" : " (did you mean '" + near + "'?)")
                                    + "; allowed options: "
                                    + (byKey.isEmpty()
                                            ? "none"
                                            : String.join(", ", byKey.keySet())));
                } else {
                    checkType(spec, e.value(), p);
                }
            }
        }
        for (OptionSpec spec : specs) {
            if (spec.required() && !values.containsKey(spec.key())) {
                r.error(
                        o != null ? o : b.map,
                        path,
                        "missing required option '" + spec.key() + "'");
            }
        }
        return values;
    }

    /** Reports a value that is not of the option's type (or outside its range). */
    private void checkType(OptionSpec spec, YNode value, String path) {
        switch (spec.type()) {
            case STRING -> {
                if (!(value instanceof YScalar)) {
                    r.error(value, path, "expected a single value, got " + value.describe());
                }
            }
            case INTEGER -> r.integer(value, path, spec.min(), spec.max());
            case NUMBER -> r.number(value, path);
            case BOOLEAN -> {
                if (!(value instanceof YScalar s && s.value() instanceof Boolean)) {
                    r.error(
                            value,
                            path,
                            "expected true or false, got " + NodeReader.describe(value));
                }
            }
            case DURATION -> r.duration(value, path);
            case LIST -> {}
            case MAP -> r.error(value, path, "expected a map, got " + NodeReader.describe(value));
        }
    }

    private Boolean bool(Block b, String key) {
        YNode n = b.get(key);
        if (n == null) {
            return null;
        }
        if (n instanceof YScalar s && s.value() instanceof Boolean v) {
            return v;
        }
        r.error(n, b.keyPath(key), "expected true or false, got " + NodeReader.describe(n));
        return null;
    }

    /** A sql stage's {@code tables:} entry. */
    private StageSpec.SqlTable sqlTable(YNode node, String path) {
        Block b = block(node, path, "sql_table");
        if (b == null) {
            return null;
        }
        String name = b.string("name", true);
        if (name != null && !ID.matcher(name).matches()) {
            r.error(
                    b.get("name"),
                    b.keyPath("name"),
                    "invalid table name '" + name + "'; " + idRule());
        }
        String file = b.string("path", true);
        if (file != null && !(file.endsWith(".csv") || file.endsWith(".jsonl"))) {
            r.error(
                    b.get("path"),
                    b.keyPath("path"),
                    "a table file is .csv (with a header line) or .jsonl, got '" + file + "'");
        }
        YNode cols = b.required("columns");
        Map<String, String> columns = new LinkedHashMap<>();
        if (cols != null && !(cols instanceof YMap)) {
            r.error(
                    cols,
                    b.keyPath("columns"),
                    "expected a map of column name to SQL type (STRING, BIGINT, INT, DOUBLE,"
                            + " BOOLEAN), got "
                            + cols.describe());
        } else if (cols instanceof YMap m) {
            for (Entry e : m.entries().values()) {
                String p = b.keyPath("columns") + "." + e.key();
                r.sourceMap.put(p, e.value().location());
                String type = r.string(e.value(), p);
                if (type == null) {
                    continue;
                }
                String t = type.strip().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("STRING", "BIGINT", "INT", "DOUBLE", "BOOLEAN").contains(t)) {
                    r.error(
                            e.value(),
                            p,
                            "unknown column type '"
                                    + type
                                    + "'; allowed: STRING, BIGINT, INT, DOUBLE, BOOLEAN");
                    continue;
                }
                columns.put(e.key(), t);
            }
            if (m.entries().isEmpty()) {
                r.error(cols, b.keyPath("columns"), "a table needs at least one column");
            }
        }
        return name == null || file == null ? null : new StageSpec.SqlTable(name, file, columns);
    }

    private List<StageSpec.Projection> projections(Block b) {
        YNode sel = b.required("select");
        List<StageSpec.Projection> out = new ArrayList<>();
        if (sel == null) {
            return out;
        }
        if (!(sel instanceof YMap m)) {
            r.error(
                    sel,
                    b.keyPath("select"),
                    "expected a map of output name to CEL expression, got " + sel.describe());
            return out;
        }
        if (m.entries().isEmpty()) {
            r.error(sel, b.keyPath("select"), "select needs at least one column");
        }
        for (Entry e : m.entries().values()) {
            String p = b.keyPath("select") + "." + e.key();
            if (!ID.matcher(e.key()).matches()) {
                r.error(e.value(), p, "invalid column name '" + e.key() + "'; " + idRule());
                continue;
            }
            r.sourceMap.put(p, e.value().location());
            String expr = r.string(e.value(), p);
            if (expr != null) {
                out.add(new StageSpec.Projection(e.key(), expr));
            }
        }
        return out;
    }

    /** A list of names; a single string is accepted as a list of one. */
    private List<String> names(Block b, String key, boolean required) {
        YNode n = required ? b.required(key) : b.get(key);
        if (n == null) {
            return null;
        }
        if (n instanceof YScalar) {
            String s = r.string(n, b.keyPath(key));
            return s == null ? null : List.of(s);
        }
        List<YNode> items = r.list(n, b.keyPath(key));
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String p = b.keyPath(key) + "[" + i + "]";
            r.sourceMap.put(p, items.get(i).location());
            String s = r.string(items.get(i), p);
            if (s != null) {
                out.add(s);
            }
        }
        if (out.isEmpty() && r.errors.isEmpty()) {
            r.error(n, b.keyPath(key), "needs at least one field");
        }
        return out;
    }

    private StageSpec.Window window(Block b, String id, String input) {
        List<String> keyBy = names(b, "key_by", false);
        YNode w = b.required("window");
        WindowDef def = w == null ? null : windowDef(w, b.keyPath("window"));
        List<AggregateDef> aggs =
                items(b.required("aggregates"), b.keyPath("aggregates"), this::aggregate);
        return new StageSpec.Window(id, input, keyBy, def, aggs);
    }

    private WindowDef windowDef(YNode node, String path) {
        Block b = block(node, path, "window");
        if (b == null) {
            return null;
        }
        YNode t = b.required("type");
        WindowDef.Type type =
                t == null
                        ? null
                        : r.choice(
                                t,
                                b.keyPath("type"),
                                WindowDef.Type.values(),
                                WindowDef.Type::yaml);
        Map<String, java.time.Duration> d = new LinkedHashMap<>();
        for (String k : List.of("size", "slide", "gap", "step", "allowed_lateness")) {
            YNode n = b.get(k);
            if (n != null) {
                java.time.Duration v = r.duration(n, b.keyPath(k));
                if (v != null) {
                    d.put(k, v);
                }
            }
        }
        String late = b.string("late_output", false);
        if (late != null && !ID.matcher(late).matches()) {
            r.error(
                    b.get("late_output"),
                    b.keyPath("late_output"),
                    "invalid id '" + late + "'; " + idRule());
        }
        if (type != null) {
            List<String> needed =
                    switch (type) {
                        case TUMBLING -> List.of("size");
                        case HOPPING -> List.of("size", "slide");
                        case SESSION -> List.of("gap");
                        case CUMULATIVE -> List.of("size", "step");
                    };
            for (String k : List.of("size", "slide", "gap", "step")) {
                YNode n = b.get(k);
                if (needed.contains(k) && n == null) {
                    r.error(b.map, path, "a " + type.yaml() + " window needs '" + k + "'");
                } else if (!needed.contains(k) && n != null) {
                    r.error(
                            n,
                            b.keyPath(k),
                            "'"
                                    + k
                                    + "' is not used by "
                                    + type.yaml()
                                    + " windows; they take: "
                                    + String.join(", ", needed));
                }
            }
            for (String k : needed) {
                java.time.Duration v = d.get(k);
                if (v != null && v.isZero()) {
                    r.error(b.get(k), b.keyPath(k), k + " must be greater than 0");
                }
            }
            if (type == WindowDef.Type.HOPPING
                    && d.containsKey("size")
                    && d.containsKey("slide")
                    && d.get("slide").compareTo(d.get("size")) > 0) {
                r.error(
                        b.get("slide"),
                        b.keyPath("slide"),
                        "slide ("
                                + Durations.format(d.get("slide"))
                                + ") must not exceed size ("
                                + Durations.format(d.get("size"))
                                + ")");
            }
            String hop = type == WindowDef.Type.HOPPING ? "slide" : "step";
            if ((type == WindowDef.Type.HOPPING || type == WindowDef.Type.CUMULATIVE)
                    && d.containsKey("size")
                    && d.containsKey(hop)
                    && !d.get(hop).isZero()
                    && Durations.tooManyWindows(d.get("size"), d.get(hop), hop) != null) {
                r.error(
                        b.get(hop),
                        b.keyPath(hop),
                        Durations.tooManyWindows(d.get("size"), d.get(hop), hop));
            }
            if (type == WindowDef.Type.CUMULATIVE
                    && d.containsKey("size")
                    && d.containsKey("step")
                    && !d.get("step").isZero()
                    && d.get("size").toMillis() % d.get("step").toMillis() != 0) {
                r.error(
                        b.get("step"),
                        b.keyPath("step"),
                        "size ("
                                + Durations.format(d.get("size"))
                                + ") must be a whole multiple of step ("
                                + Durations.format(d.get("step"))
                                + ")");
            }
        }
        return new WindowDef(
                type,
                d.get("size"),
                d.get("slide"),
                d.get("gap"),
                d.get("step"),
                d.get("allowed_lateness"),
                late);
    }

    private AggregateDef aggregate(YNode node, String path) {
        if (node instanceof YMap m && m.get("wasm") != null) {
            return wasmAggregate(node, path);
        }
        Block b = block(node, path, "aggregate");
        if (b == null) {
            return null;
        }
        String name = b.string("name", false);
        if (name != null && !ID.matcher(name).matches()) {
            r.error(
                    b.get("name"),
                    b.keyPath("name"),
                    "invalid column name '" + name + "'; " + idRule());
        }
        YNode f = b.required("fn");
        AggregateDef.Fn fn =
                f == null
                        ? null
                        : r.choice(
                                f,
                                b.keyPath("fn"),
                                AggregateDef.Fn.values(),
                                AggregateDef.Fn::yaml);
        String field = b.string("field", false);
        YNode m = b.get("mode");
        AggregateDef.Mode mode =
                m == null
                        ? null
                        : r.choice(
                                m,
                                b.keyPath("mode"),
                                AggregateDef.Mode.values(),
                                AggregateDef.Mode::yaml);
        YNode kNode = b.get("k");
        Integer k = b.integer("k", 1, Integer.MAX_VALUE);
        List<Double> qs = null;
        YNode qNode = b.get("quantiles");
        if (qNode != null) {
            List<YNode> items = r.list(qNode, b.keyPath("quantiles"));
            if (items != null) {
                qs = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    String p = b.keyPath("quantiles") + "[" + i + "]";
                    Double q = r.number(items.get(i), p);
                    if (q != null && (q < 0 || q > 1)) {
                        r.error(items.get(i), p, "a quantile must be between 0 and 1, got " + q);
                    } else if (q != null) {
                        qs.add(q);
                    }
                }
            }
        }
        if (fn != null) {
            if (fn.needsField() && field == null) {
                r.error(b.map, path, fn.yaml() + " needs 'field'");
            }
            if (!fn.needsField() && field != null) {
                r.error(
                        b.get("field"),
                        b.keyPath("field"),
                        "count takes no field; use count_distinct to count distinct values");
            }
            if (fn == AggregateDef.Fn.TOP_K && kNode == null) {
                r.error(b.map, path, "top_k needs 'k'");
            }
            if (fn != AggregateDef.Fn.TOP_K && kNode != null) {
                r.error(kNode, b.keyPath("k"), "'k' is only used by top_k");
            }
            if (fn == AggregateDef.Fn.QUANTILES && qNode == null) {
                r.error(b.map, path, "quantiles needs 'quantiles', e.g. [0.5, 0.9, 0.99]");
            }
            if (fn != AggregateDef.Fn.QUANTILES && qNode != null) {
                r.error(qNode, b.keyPath("quantiles"), "'quantiles' is only used by fn: quantiles");
            }
        }
        return new AggregateDef.BuiltIn(name, fn, field, mode, k, qs);
    }

    /** {@code {wasm: module.function, fields: {col: field}, columns: {col: name}, batch: n}}. */
    private AggregateDef wasmAggregate(YNode node, String path) {
        Block b = block(node, path, "wasm_aggregate");
        String ref = b.string("wasm", true);
        String module = null;
        String function = null;
        if (ref != null) {
            int dot = ref.indexOf('.');
            if (dot <= 0 || dot == ref.length() - 1 || ref.indexOf('.', dot + 1) >= 0) {
                r.error(
                        b.get("wasm"),
                        b.keyPath("wasm"),
                        "expected <module id>.<aggregate function>, e.g. fees.weighted_cu_price,"
                                + " got '"
                                + ref
                                + "'");
            } else {
                module = ref.substring(0, dot);
                function = ref.substring(dot + 1);
            }
        }
        Map<String, String> fields = names(b, "fields", "a row field");
        Map<String, String> columns = names(b, "columns", "a window column name");
        return new AggregateDef.Wasm(
                module, function, fields, columns, b.integer("batch", 1, 1_000_000));
    }

    /** A map of names to names ({@code fields:} or {@code columns:} of a wasm aggregate). */
    private Map<String, String> names(Block b, String key, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        YNode n = b.get(key);
        if (n == null) {
            return out;
        }
        if (!(n instanceof YMap m)) {
            r.error(
                    n,
                    b.keyPath(key),
                    "expected a map of module column: " + what + ", got " + n.describe());
            return out;
        }
        for (Entry e : m.entries().values()) {
            String p = b.keyPath(key) + "." + e.key();
            r.sourceMap.put(p, e.value().location());
            String v = r.string(e.value(), p);
            if (v != null && key.equals("columns") && !ID.matcher(v).matches()) {
                r.error(e.value(), p, "invalid column name '" + v + "'; " + idRule());
            } else if (v != null) {
                out.put(e.key(), v);
            }
        }
        return out;
    }

    private RuntimeSpec runtime(YNode node, String path) {
        Block b = block(node, path, "runtime");
        if (b == null) {
            return null;
        }
        RestartSpec restart = null;
        YNode rs = b.get("restart");
        Block rb = rs == null ? null : block(rs, b.keyPath("restart"), "restart");
        if (rb != null) {
            YNode s = rb.required("strategy");
            restart =
                    new RestartSpec(
                            s == null
                                    ? null
                                    : rb.choice(
                                            "strategy",
                                            RestartSpec.Strategy.values(),
                                            RestartSpec.Strategy::yaml),
                            rb.integer("attempts", 0, Integer.MAX_VALUE),
                            rb.duration("delay"));
        }
        return new RuntimeSpec(
                b.integer("parallelism", 1, 1024),
                b.choice(
                        "state_backend",
                        RuntimeSpec.StateBackend.values(),
                        RuntimeSpec.StateBackend::yaml),
                b.duration("checkpoint_interval"),
                b.string("state_dir", false),
                b.string("checkpoint_dir", false),
                restart,
                b.integer("metrics_port", 1, 65535),
                bool(b, "attest"),
                bool(b, "pre_aggregate"));
    }
}
