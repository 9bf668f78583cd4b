package io.ipdm.dataflow.trust;

import io.ipdm.dataflow.validate.InputFiles;
import io.ipdm.dataflow.yaml.Location;
import io.ipdm.dataflow.yaml.YNode;
import io.ipdm.dataflow.yaml.YNode.YList;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import io.ipdm.dataflow.yaml.YamlException;
import io.ipdm.dataflow.yaml.YamlReader;
import io.ipdm.mesh.identity.KeyType;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.mesh.identity.TrustList;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a trust file ({@code keys.yaml}) into a {@link TrustList}:
 *
 * <pre>
 * keys:
 *   - name: alice                       # required, unique
 *     peer_id: 12D3KooW...              # or public_key (exactly one of the two)
 *     roles: [subscribe, attest, "publish:/ipdm/rows/1"]   # optional; omitted means all
 *   - name: bob
 *     public_key: CAESIP...             # base64 libp2p PublicKey protobuf, or 64 hex digits (raw Ed25519)
 * </pre>
 *
 * Every mistake is a {@link YamlException} naming file, line and column.
 */
public final class TrustFile {
    private static final List<String> ENTRY_KEYS =
            List.of("name", "peer_id", "public_key", "roles");
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");

    private TrustFile() {}

    /** Reads and checks {@code path}; a missing or unreadable file is a positioned error too. */
    public static TrustList read(Path path) {
        String text;
        try {
            text = YamlReader.readFile(path, path.toString());
        } catch (NoSuchFileException e) {
            throw new YamlException(
                    Location.of(path.toString()),
                    "no such trust file; write one as docs/node.md (Identities and trusted keys) shows");
        } catch (IOException e) {
            throw new YamlException(
                    Location.of(path.toString()),
                    "cannot read the trust file: " + InputFiles.reason(path, e));
        }
        return parse(text, path.toString());
    }

    /** Parses trust-file text; {@code file} names it in errors. */
    public static TrustList parse(String text, String file) {
        YNode root = YamlReader.read(text, file);
        if (!(root instanceof YMap map)) {
            throw new YamlException(
                    root.location(),
                    "a trust file is a map with a `keys:` list, got " + root.describe());
        }
        for (YNode.Entry e : map.entries().values()) {
            if (!e.key().equals("keys")) {
                throw new YamlException(
                        e.keyLocation(), "unknown key '" + e.key() + "'; keys: keys");
            }
        }
        YNode keys = map.get("keys");
        if (keys == null) {
            throw new YamlException(root.location(), "missing `keys:` (a list of trusted keys)");
        }
        if (keys instanceof YMap) {
            throw new YamlException(
                    keys.location(), "keys: expected a list, got a map; did you miss a dash `-`?");
        }
        if (!(keys instanceof YList list)) {
            throw new YamlException(
                    keys.location(), "keys: expected a list, got " + keys.describe());
        }
        List<TrustList.Entry> entries = new ArrayList<>();
        for (YNode item : list.items()) {
            TrustList.Entry entry = entry(item);
            try {
                entries.add(entry);
                TrustList.of(entries);
            } catch (IllegalArgumentException dup) {
                // TrustList prefixes the origin already
                String msg = dup.getMessage();
                String prefix = item.location() + ": ";
                throw new YamlException(
                        item.location(),
                        msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg);
            }
        }
        return TrustList.of(entries);
    }

    private static TrustList.Entry entry(YNode item) {
        if (!(item instanceof YMap m)) {
            throw new YamlException(
                    item.location(),
                    "a trusted key is a map with name, peer_id or public_key, and roles; got "
                            + item.describe());
        }
        for (YNode.Entry e : m.entries().values()) {
            if (!ENTRY_KEYS.contains(e.key())) {
                throw new YamlException(
                        e.keyLocation(),
                        "unknown key '" + e.key() + "'; keys: " + String.join(", ", ENTRY_KEYS));
            }
        }
        String name = string(m, "name", true);
        YNode pidNode = m.get("peer_id");
        YNode keyNode = m.get("public_key");
        if ((pidNode == null) == (keyNode == null)) {
            throw new YamlException(
                    m.location(),
                    "trusted key '" + name + "': give exactly one of peer_id and public_key");
        }
        PeerId peer;
        if (pidNode != null) {
            String text = string(m, "peer_id", true);
            try {
                peer = PeerId.parse(text);
            } catch (RuntimeException e) {
                throw new YamlException(
                        pidNode.location(),
                        "peer_id: '" + text + "' is not a peer id (" + e.getMessage() + ")");
            }
        } else {
            peer = publicKey(string(m, "public_key", true), keyNode.location()).toPeerId();
        }
        Set<String> roles = new LinkedHashSet<>();
        YNode rolesNode = m.get("roles");
        if (rolesNode == null) {
            roles.add(TrustList.ALL);
        } else {
            List<YNode> items =
                    rolesNode instanceof YList l
                            ? l.items()
                            : rolesNode instanceof YScalar ? List.of(rolesNode) : null;
            if (items == null || items.isEmpty()) {
                throw new YamlException(
                        rolesNode.location(),
                        "roles: expected a non-empty list of permissions, got "
                                + rolesNode.describe());
            }
            for (YNode r : items) {
                if (!(r instanceof YScalar s) || !(s.value() instanceof String p)) {
                    throw new YamlException(
                            r.location(), "roles: expected a permission name, got " + r.describe());
                }
                String bad = TrustList.checkPermission(p);
                if (bad != null) {
                    throw new YamlException(r.location(), "roles: " + bad);
                }
                roles.add(p);
            }
        }
        return new TrustList.Entry(peer, name, roles, m.location().toString());
    }

    private static PublicKey publicKey(String text, Location at) {
        try {
            if (HEX_KEY.matcher(text).matches()) {
                return new PublicKey(KeyType.ED25519, HexFormat.of().parseHex(text));
            }
            return PublicKey.fromProtobuf(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw new YamlException(
                    at,
                    "public_key: not a base64 libp2p PublicKey protobuf nor 64 hex digits of an"
                            + " Ed25519 key ("
                            + e.getMessage()
                            + ")");
        }
    }

    private static String string(YMap m, String key, boolean required) {
        YNode n = m.get(key);
        if (n == null) {
            if (required) {
                throw new YamlException(m.location(), "trusted key: missing `" + key + ":`");
            }
            return null;
        }
        if (!(n instanceof YScalar s) || !(s.value() instanceof String v) || v.isBlank()) {
            throw new YamlException(
                    n.location(), key + ": expected a non-empty string, got " + n.describe());
        }
        return v;
    }
}
