package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.validate.InputFiles;
import io.ipdm.dataflow.yaml.Location;
import io.ipdm.dataflow.yaml.YNode;
import io.ipdm.dataflow.yaml.YNode.YList;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import io.ipdm.dataflow.yaml.YamlException;
import io.ipdm.dataflow.yaml.YamlReader;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.node.Domains;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A replication file ({@code ipdm net subscribe replication.yaml}):
 *
 * <pre>
 * name: solana-epoch-0        # required: the subscription's name; a later version replaces it
 * roots:                      # required: the DAGs to keep
 *   - bafyrei...
 * factor: 3                   # optional, default 3: how many storage nodes hold each root
 * servers:                    # optional: these storage nodes, in this order (the first `factor`
 *   - 12D3KooW...             #   active, the rest reserves) ...
 * domain: eu-1                # ... or the storage nodes of this domain (default: every one)
 * version: 7                  # optional, default the time of signing in milliseconds
 * </pre>
 *
 * Every mistake is a {@link YamlException} naming file, line and column.
 *
 * @param version null when the file gives none
 */
record ReplicationFile(
        String name,
        List<Cid> roots,
        int factor,
        List<PeerId> servers,
        String domain,
        Long version) {
    static final List<String> KEYS =
            List.of("name", "roots", "factor", "servers", "domain", "version");
    static final int DEFAULT_FACTOR = 3;
    static final int MAX_FACTOR = 64;
    static final int MAX_ROOTS = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    ReplicationFile {
        roots = List.copyOf(roots);
        servers = List.copyOf(servers);
    }

    static ReplicationFile read(Path path) {
        String text;
        try {
            text = YamlReader.readFile(path, path.toString());
        } catch (NoSuchFileException e) {
            throw new YamlException(Location.of(path.toString()), "no such replication file");
        } catch (IOException e) {
            throw new YamlException(
                    Location.of(path.toString()),
                    "cannot read the replication file: " + InputFiles.reason(path, e));
        }
        return parse(text, path.toString());
    }

    static ReplicationFile parse(String text, String file) {
        YNode root = YamlReader.read(text, file);
        if (!(root instanceof YMap m)) {
            throw new YamlException(
                    root.location(),
                    "a replication file is a map with name, roots, factor and servers or domain;"
                            + " got "
                            + root.describe());
        }
        for (YNode.Entry e : m.entries().values()) {
            if (!KEYS.contains(e.key())) {
                throw new YamlException(
                        e.keyLocation(),
                        "unknown key '" + e.key() + "'; keys: " + String.join(", ", KEYS));
            }
        }
        YNode nameNode = required(m, "name");
        String name = scalar(nameNode, "name");
        if (!NAME.matcher(name).matches()) {
            throw new YamlException(
                    nameNode.location(),
                    "name: '"
                            + name
                            + "' must be 1-100 letters, digits, '.', '_' or '-', starting with a"
                            + " letter or digit");
        }
        List<Cid> roots = new ArrayList<>();
        Set<Cid> seen = new LinkedHashSet<>();
        for (YNode item : list(required(m, "roots"), "roots")) {
            String t = scalar(item, "roots");
            Cid c;
            try {
                c = Cid.parse(t);
            } catch (RuntimeException e) {
                throw new YamlException(
                        item.location(),
                        "roots: '" + t + "' is not a CID (" + e.getMessage() + ")");
            }
            if (!seen.add(c)) {
                throw new YamlException(item.location(), "roots: " + t + " is listed twice");
            }
            roots.add(c);
        }
        if (roots.isEmpty()) {
            throw new YamlException(m.get("roots").location(), "roots: give at least one CID");
        }
        if (roots.size() > MAX_ROOTS) {
            throw new YamlException(
                    m.get("roots").location(),
                    "roots: " + roots.size() + " roots; at most " + MAX_ROOTS + " per file");
        }
        int factor = DEFAULT_FACTOR;
        if (m.get("factor") != null) {
            long f = number(m.get("factor"), "factor");
            if (f < 1 || f > MAX_FACTOR) {
                throw new YamlException(
                        m.get("factor").location(),
                        "factor: " + f + " is out of range; give 1 to " + MAX_FACTOR);
            }
            factor = (int) f;
        }
        List<PeerId> servers = new ArrayList<>();
        if (m.get("servers") != null) {
            for (YNode item : list(m.get("servers"), "servers")) {
                String t = scalar(item, "servers");
                PeerId p;
                try {
                    p = PeerId.parse(t);
                } catch (RuntimeException e) {
                    throw new YamlException(
                            item.location(),
                            "servers: '" + t + "' is not a peer id (" + e.getMessage() + ")");
                }
                if (servers.contains(p)) {
                    throw new YamlException(item.location(), "servers: " + t + " is listed twice");
                }
                servers.add(p);
            }
            if (servers.size() < factor) {
                throw new YamlException(
                        m.get("servers").location(),
                        "servers: "
                                + servers.size()
                                + " servers for factor "
                                + factor
                                + "; list at least as many servers as the factor (more become"
                                + " reserves)");
            }
        }
        String domain = null;
        if (m.get("domain") != null) {
            if (!servers.isEmpty()) {
                throw new YamlException(
                        m.get("domain").location(),
                        "domain: give servers or domain, not both (servers already name the"
                                + " nodes)");
            }
            domain = scalar(m.get("domain"), "domain");
            String bad = Domains.checkName(domain);
            if (bad != null) {
                throw new YamlException(m.get("domain").location(), "domain: " + bad);
            }
        }
        Long version = null;
        if (m.get("version") != null) {
            long v = number(m.get("version"), "version");
            if (v < 0) {
                throw new YamlException(
                        m.get("version").location(), "version: " + v + " must be >= 0");
            }
            version = v;
        }
        return new ReplicationFile(name, roots, factor, servers, domain, version);
    }

    private static YNode required(YMap m, String key) {
        YNode n = m.get(key);
        if (n == null) {
            throw new YamlException(m.location(), "missing `" + key + ":`");
        }
        return n;
    }

    private static List<YNode> list(YNode n, String key) {
        if (n instanceof YList l) {
            return l.items();
        }
        if (n instanceof YMap) {
            throw new YamlException(
                    n.location(), key + ": expected a list, got a map; did you miss a dash `-`?");
        }
        if (n instanceof YScalar s && s.value() != null) {
            return List.of(n);
        }
        throw new YamlException(n.location(), key + ": expected a list, got " + n.describe());
    }

    private static String scalar(YNode n, String key) {
        if (!(n instanceof YScalar s) || s.value() == null) {
            throw new YamlException(n.location(), key + ": expected a value, got " + n.describe());
        }
        return s.text().trim();
    }

    private static long number(YNode n, String key) {
        if (n instanceof YScalar s && s.value() instanceof Long l) {
            return l;
        }
        throw new YamlException(
                n.location(), key + ": expected a whole number, got " + n.describe() + textOf(n));
    }

    private static String textOf(YNode n) {
        return n instanceof YScalar s ? " '" + s.text() + "'" : "";
    }
}
