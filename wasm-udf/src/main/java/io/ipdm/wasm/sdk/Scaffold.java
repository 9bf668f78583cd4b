package io.ipdm.wasm.sdk;

import io.ipdm.wasm.abi.AbiDescriptor;
import io.ipdm.wasm.abi.BatchSchema;
import io.ipdm.wasm.abi.Column;
import io.ipdm.wasm.abi.ColumnType;
import io.ipdm.wasm.abi.FunctionKind;
import io.ipdm.wasm.abi.FunctionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A new module project ({@code ipdm wasm init}): the declaration {@code NAME.abi.json} (one
 * function {@code NAME} of the given kind over the given input columns), the typed accessors
 * generated from it, a function body that compiles and uses them, and a README of three lines.
 *
 * <p>Outputs by kind: map adds {@code NAME int64} (the first integer input column, else the row
 * index); filter keeps rows whose first integer column is positive (all rows without one); flatmap
 * emits two rows per input row ({@code source_row}, {@code copy}); aggregate counts rows and sums
 * the first integer column ({@code count}, {@code total}).
 */
public final class Scaffold {
    private final String name;
    private final Language lang;
    private final FunctionKind kind;
    private final BatchSchema input;
    private final String origin;

    /**
     * @param origin where the input schema came from, for comments (e.g. "stream txs of job.yaml")
     */
    public Scaffold(
            String name, Language lang, FunctionKind kind, BatchSchema input, String origin) {
        if (!Names.validModuleName(name)) {
            throw new IllegalArgumentException(
                    "module name '"
                            + name
                            + "' must be lower case letters, digits and '_' (starting with a"
                            + " letter, at most 64), and not a keyword of Rust, C or"
                            + " AssemblyScript");
        }
        if (input.columns().isEmpty()) {
            throw new IllegalArgumentException(
                    origin + " has no column of an ABI v1 type to pass to the module");
        }
        this.name = name;
        this.lang = lang;
        this.kind = kind;
        this.input = input;
        this.origin = origin;
    }

    /** The declaration: one function named after the module. */
    public AbiDescriptor descriptor() {
        BatchSchema out =
                switch (kind) {
                    case MAP -> BatchSchema.of(new Column(name, ColumnType.INT64, false));
                    case FILTER -> new BatchSchema(List.of());
                    case FLAT_MAP ->
                            BatchSchema.of(
                                    new Column("source_row", ColumnType.INT32, false),
                                    new Column("copy", ColumnType.INT32, false));
                    case AGGREGATE ->
                            BatchSchema.of(
                                    new Column("count", ColumnType.INT64, false),
                                    new Column("total", ColumnType.INT64, false));
                };
        Map<String, FunctionSpec> fs = new LinkedHashMap<>();
        fs.put(name, new FunctionSpec(name, kind, input, out));
        return new AbiDescriptor(AbiDescriptor.CURRENT_VERSION, fs);
    }

    /**
     * Writes the project into {@code dir} (created; must not exist or be empty); returns its files.
     */
    public List<Path> write(Path dir, SdkHome sdk) {
        try {
            if (Files.exists(dir)) {
                try (var s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException(
                                dir + " exists and is not empty; choose another name or directory");
                    }
                }
            }
            Files.createDirectories(dir);
            AbiDescriptor d = descriptor();
            FunctionSpec f = d.functions().get(name);
            String abi = name + ".abi.json";
            List<Path> files = new ArrayList<>();
            files.add(write(dir.resolve(abi), Descriptors.json(d)));
            switch (lang) {
                case RUST -> {
                    files.add(write(dir.resolve("Cargo.toml"), cargoToml(sdk)));
                    files.add(write(dir.resolve("src/lib.rs"), rustBody()));
                    files.add(write(dir.resolve("src/schema.rs"), RustCodegen.generate(f, abi)));
                }
                case ASSEMBLYSCRIPT -> {
                    files.add(write(dir.resolve("package.json"), packageJson(sdk)));
                    files.add(write(dir.resolve("assembly/index.ts"), asBody()));
                    files.add(
                            write(
                                    dir.resolve("assembly/schema.ts"),
                                    AssemblyScriptCodegen.generate(f, abi)));
                }
                case C -> {
                    files.add(write(dir.resolve(name + ".c"), cBody()));
                    files.add(write(dir.resolve("schema.h"), CCodegen.generate(f, abi)));
                }
            }
            files.add(write(dir.resolve("README.md"), readme()));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the project in " + dir, e);
        }
    }

    private static Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private String readme() {
        return "**"
                + name
                + "**: "
                + (kind == FunctionKind.AGGREGATE ? "an " : "a ")
                + kind.abiName()
                + " over "
                + origin
                + " in "
                + lang.cliName()
                + ": edit "
                + switch (lang) {
                    case RUST -> "src/lib.rs";
                    case ASSEMBLYSCRIPT -> "assembly/index.ts";
                    case C -> name + ".c";
                }
                + " (columns and types in "
                + name
                + ".abi.json; the accessors are regenerated from it).\n"
                + "Build: `ipdm wasm build` (prints the CID and size of "
                + name
                + ".wasm); test: `ipdm wasm test "
                + name
                + ".wasm --rows 1000`.\n"
                + "Use: `modules: [{id: "
                + name
                + ", path: "
                + name
                + "/"
                + name
                + ".wasm}]` and "
                + (kind == FunctionKind.AGGREGATE
                        ? "a `kind: window` stage with `aggregates: [{wasm: "
                                + name
                                + "."
                                + name
                                + "}]`"
                        : "a `kind: wasm` stage with `module: "
                                + name
                                + ", function: "
                                + name
                                + "`")
                + " (docs/wasm-"
                + lang.cliName()
                + ".md).\n";
    }

    /** The first integer input column, or null: what the scaffolded bodies compute with. */
    private Column anchor() {
        for (Column c : input.columns()) {
            if (c.type() == ColumnType.INT64
                    || c.type() == ColumnType.UINT64
                    || c.type() == ColumnType.INT32) {
                return c;
            }
        }
        return null;
    }

    // ---- Rust -----------------------------------------------------------------------------------

    private String cargoToml(SdkHome sdk) {
        return "[package]\nname = \""
                + name
                + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\ncrate-type = [\"cdylib\"]\n\n"
                + "[dependencies]\nipdm = { path = \""
                + sdk.rust().toString().replace("\\", "/")
                + "\" }\n\n"
                + "# ipdm wasm build uses these settings with rustc directly (small, deterministic).\n"
                + "[profile.release]\nopt-level = 3\nlto = true\ncodegen-units = 1\npanic = \"abort\"\n"
                + "strip = \"symbols\"\n";
    }

    private String rustAnchor() {
        Column a = anchor();
        if (a == null) {
            return "row.index as i64";
        }
        String get = "row." + Names.snake(a.name()) + "()";
        String v = a.nullable() ? get + ".unwrap_or(0)" : get;
        return a.type() == ColumnType.INT64 ? v : "(" + v + " as i64)";
    }

    private String rustBody() {
        String head =
                "//! "
                        + name
                        + ": a "
                        + kind.abiName()
                        + " over "
                        + origin
                        + ". Build with `ipdm wasm build`.\n"
                        + "//! `schema.rs` (generated from "
                        + name
                        + ".abi.json) has `Input` (one accessor per column) and"
                        + (kind == FunctionKind.FILTER ? " no output.\n" : " `Output`.\n")
                        + "#![no_std]\n\nmod schema;\n\n";
        String a = rustAnchor();
        return head
                + switch (kind) {
                    case MAP ->
                            "use schema::{Input, Output};\n\n#[no_mangle]\npub extern \"C\" fn "
                                    + name
                                    + "(batch: i32) -> i32 {\n    let input = Input::at(batch);\n"
                                    + "    let mut out = Output::new(input.rows());\n"
                                    + "    for row in input.iter() {\n        out.set_"
                                    + Names.snake(name)
                                    + "(row.index, "
                                    + a
                                    + ");\n    }\n    out.finish(input.rows())\n}\n";
                    case FILTER ->
                            "use schema::Input;\n\n#[no_mangle]\npub extern \"C\" fn "
                                    + name
                                    + "(batch: i32) -> i32 {\n    let input = Input::at(batch);\n"
                                    + "    let mut keep = ipdm::Selection::with_rows(input.rows());\n"
                                    + "    for row in input.iter() {\n        if "
                                    + (anchor() == null ? "true" : a + " > 0")
                                    + " {\n            keep.keep(row.index);\n        }\n    }\n"
                                    + "    keep.finish()\n}\n";
                    case FLAT_MAP ->
                            "use schema::{Input, Output};\n\n#[no_mangle]\npub extern \"C\" fn "
                                    + name
                                    + "(batch: i32) -> i32 {\n    let input = Input::at(batch);\n"
                                    + "    let mut out = Output::new(2 * input.rows());\n"
                                    + "    let mut n = 0;\n    for row in input.iter() {\n"
                                    + "        for copy in 0..2 {\n"
                                    + "            out.set_source_row(n, row.index as i32);\n"
                                    + "            out.set_copy(n, copy);\n            n += 1;\n"
                                    + "        }\n    }\n    out.finish(n)\n}\n";
                    case AGGREGATE ->
                            "use schema::{Input, Output};\n\n"
                                    + "/// The aggregate's state, kept by the host between calls.\n"
                                    + "#[derive(Clone, Copy)]\n#[repr(C)]\nstruct State {\n"
                                    + "    rows: i64,\n    total: i64,\n}\n\n"
                                    + "#[no_mangle]\npub extern \"C\" fn "
                                    + name
                                    + "_create() -> i32 {\n"
                                    + "    ipdm::state_new(State { rows: 0, total: 0 })\n}\n\n"
                                    + "#[no_mangle]\npub extern \"C\" fn "
                                    + name
                                    + "_add(state: i32, batch: i32) -> i32 {\n"
                                    + "    let mut s = match ipdm::state_read::<State>(state) {\n"
                                    + "        Some(s) => s,\n        None => return ipdm::ERR_STATE,\n"
                                    + "    };\n    for row in Input::at(batch).iter() {\n"
                                    + "        s.rows += 1;\n        s.total = s.total.wrapping_add("
                                    + a
                                    + ");\n    }\n    ipdm::state_new(s)\n}\n\n"
                                    + "#[no_mangle]\npub extern \"C\" fn "
                                    + name
                                    + "_merge(a: i32, b: i32) -> i32 {\n"
                                    + "    match (ipdm::state_read::<State>(a), ipdm::state_read::<State>(b)) {\n"
                                    + "        (Some(x), Some(y)) => ipdm::state_new(State {\n"
                                    + "            rows: x.rows + y.rows,\n"
                                    + "            total: x.total.wrapping_add(y.total),\n        }),\n"
                                    + "        _ => ipdm::ERR_STATE,\n    }\n}\n\n"
                                    + "#[no_mangle]\npub extern \"C\" fn "
                                    + name
                                    + "_result(state: i32) -> i32 {\n"
                                    + "    let s = match ipdm::state_read::<State>(state) {\n"
                                    + "        Some(s) => s,\n        None => return ipdm::ERR_STATE,\n"
                                    + "    };\n    let mut out = Output::new(1);\n"
                                    + "    out.set_count(0, s.rows);\n    out.set_total(0, s.total);\n"
                                    + "    out.finish(1)\n}\n";
                };
    }

    // ---- AssemblyScript -------------------------------------------------------------------------

    private String packageJson(SdkHome sdk) {
        return "{\n  \"name\": \""
                + name.replace('_', '-')
                + "\",\n  \"version\": \"0.1.0\",\n  \"private\": true,\n"
                + "  \"description\": \"IPDM module "
                + name
                + " (build: ipdm wasm build)\",\n"
                + "  \"dependencies\": {\n    \"ipdm-sdk\": \"file:"
                + sdk.assemblyScript().toString().replace("\\", "/")
                + "\"\n  }\n}\n";
    }

    private String asAnchor() {
        Column a = anchor();
        if (a == null) {
            return "<i64>r";
        }
        String v = "<i64>row." + Names.camel(a.name()) + "()";
        return a.nullable() ? "(row.isNull" + Names.pascal(a.name()) + "() ? 0 : " + v + ")" : v;
    }

    private String asBody() {
        String head =
                "// "
                        + name
                        + ": a "
                        + kind.abiName()
                        + " over "
                        + origin
                        + ". Build with `ipdm wasm build`.\n"
                        + "// schema.ts (generated from "
                        + name
                        + ".abi.json) has Input (one accessor per column)"
                        + (kind == FunctionKind.FILTER ? ".\n" : " and Output.\n")
                        + "export { ipdm_alloc, ipdm_reset } from \"ipdm-sdk\";\n";
        String a = asAnchor();
        String loop = "  for (let r = 0; r < n; r++) {\n    const row = input.row(r);\n";
        return head
                + switch (kind) {
                    case MAP ->
                            "import { Input, Output } from \"./schema\";\n\nexport function "
                                    + name
                                    + "(batch: usize): i32 {\n  const input = new Input(batch);\n"
                                    + "  const n = input.rows();\n  const out = new Output(n);\n"
                                    + loop
                                    + "    out.set"
                                    + Names.pascal(name)
                                    + "(r, "
                                    + a
                                    + ");\n  }\n  return out.finish(n);\n}\n";
                    case FILTER ->
                            "import { Selection } from \"ipdm-sdk\";\nimport { Input } from \"./schema\";\n\n"
                                    + "export function "
                                    + name
                                    + "(batch: usize): i32 {\n  const input = new Input(batch);\n"
                                    + "  const n = input.rows();\n  const keep = new Selection(input.b);\n"
                                    + loop
                                    + "    if ("
                                    + (anchor() == null ? "true" : a + " > 0")
                                    + ") keep.keep(r);\n  }\n  return keep.finish();\n}\n";
                    case FLAT_MAP ->
                            "import { Input, Output } from \"./schema\";\n\nexport function "
                                    + name
                                    + "(batch: usize): i32 {\n  const input = new Input(batch);\n"
                                    + "  const n = input.rows();\n  const out = new Output(2 * n);\n"
                                    + "  let k = 0;\n  for (let r = 0; r < n; r++) {\n"
                                    + "    for (let copy = 0; copy < 2; copy++) {\n"
                                    + "      out.setSourceRow(k, r);\n      out.setCopy(k, copy);\n"
                                    + "      k++;\n    }\n  }\n  return out.finish(k);\n}\n";
                    case AGGREGATE ->
                            "import { ERR_STATE, stateData, stateFinish, stateNew } from \"ipdm-sdk\";\n"
                                    + "import { Input, Output } from \"./schema\";\n\n"
                                    + "// The state the host keeps between calls: rows i64 @0, total i64 @8.\n"
                                    + "const STATE: i32 = 16;\n\nexport function "
                                    + name
                                    + "_create(): i32 {\n  return stateFinish(stateNew(STATE));\n}\n\n"
                                    + "export function "
                                    + name
                                    + "_add(state: i32, batch: usize): i32 {\n"
                                    + "  const old = stateData(state, STATE);\n"
                                    + "  if (old == 0) return ERR_STATE;\n"
                                    + "  const s = stateNew(STATE);\n  memory.copy(s, old, STATE);\n"
                                    + "  const input = new Input(batch);\n  const n = input.rows();\n"
                                    + loop
                                    + "    store<i64>(s, load<i64>(s) + 1);\n"
                                    + "    store<i64>(s + 8, load<i64>(s + 8) + "
                                    + a
                                    + ");\n  }\n  return stateFinish(s);\n}\n\n"
                                    + "export function "
                                    + name
                                    + "_merge(a: i32, b: i32): i32 {\n"
                                    + "  const x = stateData(a, STATE);\n  const y = stateData(b, STATE);\n"
                                    + "  if (x == 0 || y == 0) return ERR_STATE;\n"
                                    + "  const s = stateNew(STATE);\n"
                                    + "  store<i64>(s, load<i64>(x) + load<i64>(y));\n"
                                    + "  store<i64>(s + 8, load<i64>(x + 8) + load<i64>(y + 8));\n"
                                    + "  return stateFinish(s);\n}\n\n"
                                    + "export function "
                                    + name
                                    + "_result(state: i32): i32 {\n"
                                    + "  const s = stateData(state, STATE);\n"
                                    + "  if (s == 0) return ERR_STATE;\n  const out = new Output(1);\n"
                                    + "  out.setCount(0, load<i64>(s));\n  out.setTotal(0, load<i64>(s + 8));\n"
                                    + "  return out.finish(1);\n}\n";
                };
    }

    // ---- C
    // ----------------------------------------------------------------------------------------

    private String cAnchor() {
        Column a = anchor();
        if (a == null) {
            return "(int64_t)r";
        }
        String n = "input_" + Names.snake(a.name());
        String v = "(int64_t)" + n + "(in, r)";
        return a.nullable() ? "(" + n + "_is_null(in, r) ? 0 : " + v + ")" : v;
    }

    private String cBody() {
        String head =
                "/* "
                        + name
                        + ": a "
                        + kind.abiName()
                        + " over "
                        + origin
                        + ". Build with `ipdm wasm build`.\n"
                        + " * schema.h (generated from "
                        + name
                        + ".abi.json) has input_<column>(in, row)"
                        + (kind == FunctionKind.FILTER ? ". */\n" : " and the output builder. */\n")
                        + "#include \"schema.h\"\n\n";
        String a = cAnchor();
        return head
                + switch (kind) {
                    case MAP ->
                            "IPDM_EXPORT("
                                    + name
                                    + ") int32_t "
                                    + name
                                    + "(const ArrowArray *in) {\n    int32_t n = input_rows(in);\n"
                                    + "    output o = output_new(n);\n"
                                    + "    for (int32_t r = 0; r < n; r++) {\n        output_set_"
                                    + Names.snake(name)
                                    + "(&o, r, "
                                    + a
                                    + ");\n    }\n    return output_finish(&o, n);\n}\n";
                    case FILTER ->
                            "IPDM_EXPORT("
                                    + name
                                    + ") int32_t "
                                    + name
                                    + "(const ArrowArray *in) {\n    int32_t n = input_rows(in);\n"
                                    + "    uint8_t *keep = ipdm_selection_new(in);\n"
                                    + "    for (int32_t r = 0; r < n; r++) {\n        if ("
                                    + (anchor() == null ? "1" : a + " > 0")
                                    + ") ipdm_select(keep, r);\n    }\n"
                                    + "    return ipdm_selection_finish(keep);\n}\n";
                    case FLAT_MAP ->
                            "IPDM_EXPORT("
                                    + name
                                    + ") int32_t "
                                    + name
                                    + "(const ArrowArray *in) {\n    int32_t n = input_rows(in), k = 0;\n"
                                    + "    output o = output_new(2 * n);\n"
                                    + "    for (int32_t r = 0; r < n; r++) {\n"
                                    + "        for (int32_t copy = 0; copy < 2; copy++) {\n"
                                    + "            output_set_source_row(&o, k, r);\n"
                                    + "            output_set_copy(&o, k, copy);\n            k++;\n"
                                    + "        }\n    }\n    return output_finish(&o, k);\n}\n";
                    case AGGREGATE ->
                            "/* The state the host keeps between calls. */\n"
                                    + "typedef struct {\n    int64_t rows;\n    int64_t total;\n} state;\n\n"
                                    + "IPDM_EXPORT("
                                    + name
                                    + "_create) int32_t "
                                    + name
                                    + "_create(void) {\n"
                                    + "    return ipdm_state_finish(ipdm_state_new(sizeof(state)));\n}\n\n"
                                    + "IPDM_EXPORT("
                                    + name
                                    + "_add) int32_t "
                                    + name
                                    + "_add(int32_t blob, const ArrowArray *in) {\n"
                                    + "    state *old = (state *)ipdm_state_data(blob, sizeof(state));\n"
                                    + "    if (!old) return IPDM_ERR_STATE;\n"
                                    + "    state *s = (state *)ipdm_state_new(sizeof(state));\n"
                                    + "    *s = *old;\n"
                                    + "    for (int32_t r = 0; r < input_rows(in); r++) {\n"
                                    + "        s->rows++;\n"
                                    + "        s->total = (int64_t)((uint64_t)s->total + (uint64_t)"
                                    + a
                                    + ");\n    }\n    return ipdm_state_finish(s);\n}\n\n"
                                    + "IPDM_EXPORT("
                                    + name
                                    + "_merge) int32_t "
                                    + name
                                    + "_merge(int32_t a, int32_t b) {\n"
                                    + "    state *x = (state *)ipdm_state_data(a, sizeof(state));\n"
                                    + "    state *y = (state *)ipdm_state_data(b, sizeof(state));\n"
                                    + "    if (!x || !y) return IPDM_ERR_STATE;\n"
                                    + "    state *s = (state *)ipdm_state_new(sizeof(state));\n"
                                    + "    s->rows = x->rows + y->rows;\n"
                                    + "    s->total = (int64_t)((uint64_t)x->total + (uint64_t)y->total);\n"
                                    + "    return ipdm_state_finish(s);\n}\n\n"
                                    + "IPDM_EXPORT("
                                    + name
                                    + "_result) int32_t "
                                    + name
                                    + "_result(int32_t blob) {\n"
                                    + "    state *s = (state *)ipdm_state_data(blob, sizeof(state));\n"
                                    + "    if (!s) return IPDM_ERR_STATE;\n    output o = output_new(1);\n"
                                    + "    output_set_count(&o, 0, s->rows);\n"
                                    + "    output_set_total(&o, 0, s->total);\n"
                                    + "    return output_finish(&o, 1);\n}\n";
                };
    }

    /** Regenerates the accessor file of a project from its declaration (what build does first). */
    public static void regenerate(Path dir, Language lang, AbiDescriptor d, String abiFile) {
        if (d.functions().size() != 1) {
            throw new IllegalArgumentException(
                    abiFile
                            + " declares "
                            + d.functions().size()
                            + " functions; the generated"
                            + " accessors are for exactly one");
        }
        FunctionSpec f = d.functions().values().iterator().next();
        try {
            switch (lang) {
                case RUST -> write(dir.resolve("src/schema.rs"), RustCodegen.generate(f, abiFile));
                case ASSEMBLYSCRIPT ->
                        write(
                                dir.resolve("assembly/schema.ts"),
                                AssemblyScriptCodegen.generate(f, abiFile));
                case C -> write(dir.resolve("schema.h"), CCodegen.generate(f, abiFile));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the accessors in " + dir, e);
        }
    }
}
