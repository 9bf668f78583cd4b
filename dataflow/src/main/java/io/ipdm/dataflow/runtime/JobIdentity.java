package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.compile.Kinds;
import io.ipdm.dataflow.compile.SourceKind;
import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.dataflow.yaml.Location;
import io.ipdm.dataflow.yaml.YNode;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import io.ipdm.wasm.ModuleCid;
import io.ipdm.wasm.ModuleStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A job's content id: the CID of its <b>definition</b>, a dag-cbor block {@code {ipdm_job: 1,
 * pipeline: TREE}} where TREE is the pipeline's YAML tree after {@code ${VAR}} substitution and
 * {@code --set} overrides, as IPLD data (maps, lists, the scalars' YAML-typed values; dag-cbor
 * sorts map keys, so neither formatting, comments, quoting nor key order change it), with:
 *
 * <ul>
 *   <li>{@code description} and {@code runtime} left out (they do not change any row);
 *   <li>each sink reduced to its {@code id} and {@code input} (attestations cover the rows a sink
 *       receives, not where it writes them);
 *   <li>each module's {@code path} replaced by its {@code cid} (the module's bytes by content);
 *   <li>a source's {@code key_file} (its mesh identity) left out;
 *   <li>each source option naming local files ({@code path}, {@code paths}, {@code file}, {@code
 *       files} or a key ending in {@code _path}, {@code _file}, {@code _dir}) replaced by the
 *       content ids of what it names: a file's raw sha2-256 CID, a directory's dag-cbor map of
 *       entry names to their content ids, and a CAR archive's dag-cbor {@code {car_roots: [CID],
 *       size: BYTES}}.
 * </ul>
 *
 * <p>A CAR archive is named by its header's roots and its size rather than by hashing its bytes: an
 * Old Faithful epoch is hundreds of gigabytes, and hashing it once per run cost more than a tenth
 * of a backfill. The roots commit to the DAG the archive holds (an Old Faithful Epoch node links
 * every block), the source checks every section it reads against its CID, and the size catches a
 * truncated or extended copy; the same archive fetched from another mirror gets the same name. What
 * it does not catch, an archive forged to claim another's roots at the same size, shows as a
 * disagreement between attestations of the same job.
 *
 * <p>So two runs of one job on the same inputs have the same CID wherever they run, and a verifier
 * can rebuild the job from the definition block ({@link #pipelineJson()}) and the module blocks. A
 * job whose sources are live ({@link SourceKind#reproducible()} false) or read local files still
 * has an identity; {@link #notReproducible()} says why a verifier cannot re-run it.
 *
 * @param cid the definition block's CID
 * @param definition the definition block
 * @param modules the modules' bytes as raw blocks (their CIDs are the module CIDs)
 * @param notReproducible why the job cannot be re-run from its definition alone (empty: it can)
 */
public record JobIdentity(
        Cid cid, Block definition, List<Block> modules, List<String> notReproducible) {
    public static final String VERSION_KEY = "ipdm_job";

    public JobIdentity {
        modules = List.copyOf(modules);
        notReproducible = List.copyOf(notReproducible);
    }

    /** Every block a verifier needs: the definition, then the modules. */
    public List<Block> blocks() {
        List<Block> out = new ArrayList<>();
        out.add(definition);
        out.addAll(modules);
        return out;
    }

    /**
     * The identity of a loaded pipeline; modules resolve against {@code moduleDir}, source files
     * against {@code baseDir}.
     *
     * @throws PipelineException when the pipeline has no YAML tree or a module or file cannot be
     *     read
     */
    public static JobIdentity of(PipelineLoader.Loaded loaded, Path baseDir, Path moduleDir) {
        if (loaded.tree() == null) {
            throw new PipelineException(
                    new PipelineError(
                            Location.of(String.valueOf(loaded.file())),
                            "",
                            "this pipeline was built without its YAML tree; a job identity needs"
                                    + " it"));
        }
        List<Block> modules = new ArrayList<>();
        List<String> why = new ArrayList<>();
        Object tree = canonical(loaded.tree(), "", baseDir, moduleDir, modules, why);
        Map<String, Object> def = new LinkedHashMap<>();
        def.put(VERSION_KEY, 1L);
        def.put("pipeline", tree);
        Block block = Block.of(Multicodec.DAG_CBOR, DagCbor.encode(def));
        return new JobIdentity(block.cid(), block, modules, why);
    }

    /**
     * The pipeline of a definition block as JSON (which is YAML), sinks as {@code terminal}: what a
     * verifier loads to re-run it.
     *
     * @throws IllegalArgumentException when the block is not a job definition
     */
    public static String pipelineJson(Block definition) {
        Object v = DagCbor.decode(definition.data());
        if (!(v instanceof Map<?, ?> m)
                || !Long.valueOf(1).equals(m.get(VERSION_KEY))
                || !(m.get("pipeline") instanceof Map<?, ?> p)) {
            throw new IllegalArgumentException(
                    definition.cid() + " is not an IPDM job definition ({ipdm_job: 1, pipeline})");
        }
        StringBuilder sb = new StringBuilder();
        json(sb, withTerminalSinks(p));
        return sb.toString();
    }

    private static Object withTerminalSinks(Map<?, ?> p) {
        Map<Object, Object> out = new LinkedHashMap<>(p);
        if (p.get("sinks") instanceof List<?> sinks) {
            List<Object> ss = new ArrayList<>();
            for (Object s : sinks) {
                if (s instanceof Map<?, ?> sm) {
                    Map<Object, Object> t = new LinkedHashMap<>(sm);
                    t.put("kind", "terminal");
                    ss.add(t);
                } else {
                    ss.add(s);
                }
            }
            out.put("sinks", ss);
        }
        return out;
    }

    private static Object canonical(
            YNode n,
            String path,
            Path baseDir,
            Path moduleDir,
            List<Block> modules,
            List<String> why) {
        return switch (n) {
            case YNode.YScalar s -> s.value();
            case YNode.YList l -> {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < l.items().size(); i++) {
                    YNode item = l.items().get(i);
                    out.add(item(item, path, baseDir, moduleDir, modules, why));
                }
                yield out;
            }
            case YNode.YMap m -> {
                Map<String, Object> out = new TreeMap<>();
                for (YNode.Entry e : m.entries().values()) {
                    if (path.isEmpty()
                            && (e.key().equals("description") || e.key().equals("runtime"))) {
                        continue;
                    }
                    String p = path.isEmpty() ? e.key() : path + "." + e.key();
                    out.put(e.key(), canonical(e.value(), p, baseDir, moduleDir, modules, why));
                }
                yield out;
            }
        };
    }

    /** A list item: sources, sinks and modules get their rewriting here. */
    private static Object item(
            YNode item,
            String list,
            Path baseDir,
            Path moduleDir,
            List<Block> modules,
            List<String> why) {
        Object v = canonical(item, list + "[]", baseDir, moduleDir, modules, why);
        if (!(v instanceof Map<?, ?> raw)) {
            return v;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) raw;
        switch (list) {
            case "sinks" -> {
                Map<String, Object> out = new TreeMap<>();
                out.put("id", m.get("id"));
                out.put("input", m.get("input"));
                return out;
            }
            case "modules" -> {
                Object p = m.get("path");
                byte[] bytes = null;
                if (p instanceof String file) {
                    Path f = moduleDir.resolve(file).normalize();
                    try {
                        bytes = Files.readAllBytes(f);
                    } catch (IOException e) {
                        throw new PipelineException(
                                new PipelineError(
                                        item.location(),
                                        "modules." + m.get("id") + ".path",
                                        "cannot read module " + f + ": " + e.getMessage()));
                    }
                    m.remove("path");
                    m.put("cid", ModuleCid.of(bytes).toString());
                } else if (m.get("cid") instanceof String c) {
                    try {
                        bytes = ModuleStore.configured().get(ModuleCid.parse(c));
                    } catch (RuntimeException e) {
                        why.add(
                                "module "
                                        + m.get("id")
                                        + " ("
                                        + c
                                        + ") is not in this machine's module store");
                    }
                }
                if (bytes != null) {
                    modules.add(Block.of(Multicodec.RAW, bytes));
                }
                return m;
            }
            case "sources" -> {
                Object kind = m.get("kind");
                SourceKind k = kind instanceof String s ? Kinds.SOURCES.get(s) : null;
                if (k != null && !k.reproducible()) {
                    why.add("source " + m.get("id") + " is live (" + kind + ")");
                }
                if (m.get("options") instanceof Map<?, ?> o) {
                    Map<String, Object> opts = new TreeMap<>();
                    o.forEach((key, value) -> opts.put((String) key, value));
                    // a mesh identity changes no row, and a key's hash has no place in a job
                    opts.remove("key_file");
                    for (Map.Entry<String, Object> e : opts.entrySet()) {
                        if (isPathKey(e.getKey())
                                && e.getValue() instanceof String s
                                && !s.isBlank()) {
                            List<Object> ids = new ArrayList<>();
                            for (String part : s.split(",")) {
                                Path f = baseDir.resolve(part.trim()).normalize();
                                if (Files.exists(f)) {
                                    ids.add(contentId(f));
                                } else {
                                    ids.add(part.trim());
                                }
                            }
                            Map<String, Object> content = new TreeMap<>();
                            content.put("content", ids);
                            e.setValue(content);
                            why.add(
                                    "source "
                                            + m.get("id")
                                            + " reads local files ("
                                            + e.getKey()
                                            + "), named here by content");
                        }
                    }
                    m.put("options", opts);
                }
                return m;
            }
            default -> {
                return m;
            }
        }
    }

    private static boolean isPathKey(String k) {
        return k.equals("path")
                || k.equals("paths")
                || k.equals("file")
                || k.equals("files")
                || k.endsWith("_path")
                || k.endsWith("_file")
                || k.endsWith("_dir");
    }

    /** A file's raw sha2-256 CID; a directory's dag-cbor map of names to content ids. */
    static Cid contentId(Path p) {
        try {
            if (Files.isDirectory(p)) {
                Map<String, Object> entries = new TreeMap<>();
                try (Stream<Path> s = Files.list(p)) {
                    for (Path c : s.sorted().toList()) {
                        if (Files.isRegularFile(c) || Files.isDirectory(c)) {
                            entries.put(c.getFileName().toString(), contentId(c));
                        }
                    }
                }
                return Cid.sha256(Multicodec.DAG_CBOR, DagCbor.encode(entries));
            }
            Cid car = carId(p);
            if (car != null) {
                return car;
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(p)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return Cid.v1(Multicodec.RAW, new Multihash(Multihash.SHA2_256, md.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read input " + p, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CAR archive's {@code {car_roots, size}} id; null when the file is not a CAR with roots. */
    private static Cid carId(Path p) throws IOException {
        List<Cid> roots;
        try (CarReader car =
                CarReader.open(
                        Files.newInputStream(p), new CarReader.Options(false, false, 1 << 20, 1))) {
            roots = car.header().roots();
        } catch (LakesException | ClassCastException e) {
            return null; // not a CAR: named by its bytes
        }
        if (roots.isEmpty()) {
            return null;
        }
        Map<String, Object> id = new TreeMap<>();
        id.put("car_roots", new ArrayList<Object>(roots));
        id.put("size", Files.size(p));
        return Cid.sha256(Multicodec.DAG_CBOR, DagCbor.encode(id));
    }

    private static void json(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    json(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    json(sb, l.get(i));
                }
                sb.append(']');
            }
            case String s -> string(sb, s);
            case Long n -> sb.append(n);
            case BigInteger n -> sb.append(n);
            case Double d -> sb.append(d);
            case Boolean b -> sb.append(b);
            case Cid c -> string(sb, c.toString());
            case byte[] b -> string(sb, Base64.getEncoder().encodeToString(b));
            default -> string(sb, v.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
