package io.ipdm.lakes.ipld;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DAG-PB (<a href="https://ipld.io/specs/codecs/dag-pb/spec/">spec</a>): the protobuf {@code PBNode
 * { repeated PBLink Links = 2; optional bytes Data = 1; }} with {@code PBLink { optional bytes Hash
 * = 1; optional string Name = 2; optional uint64 Tsize = 3; }}. Strict: Links come before Data,
 * fields in order, no unknown fields, every link has a CID.
 */
public final class DagPb {
    /** Prefix of every decode error, as the codec fixtures spell it. */
    private static final String MSG = "dag-pb";

    private DagPb() {}

    /** One link; {@code name} and {@code tsize} may be null (absent). */
    public record Link(Cid hash, String name, Long tsize) {}

    /** A node; {@code data} may be null (absent). */
    public record Node(byte[] data, List<Link> links) {
        public Node {
            links = List.copyOf(links);
        }
    }

    public static Node decode(byte[] in) {
        try {
            return decodeNode(in);
        } catch (ProtobufException e) {
            throw new CodecException(e.getMessage());
        }
    }

    private static Node decodeNode(byte[] in) {
        ProtoReader r = new ProtoReader(in, MSG);
        List<Link> links = new ArrayList<>();
        byte[] data = null;
        while (r.next()) {
            int field = r.field();
            int wire = r.wireType();
            if (wire != 2 || (field != 1 && field != 2)) {
                throw new CodecException(
                        "dag-pb: unexpected field "
                                + field
                                + " with wire type "
                                + wire
                                + " in PBNode");
            }
            if (field == 1) {
                if (data != null) {
                    throw new CodecException("dag-pb: duplicate Data section");
                }
                data = r.bytes();
            } else {
                if (data != null) {
                    throw new CodecException("dag-pb: duplicate Links section (Links after Data)");
                }
                links.add(decodeLink(r.nested(MSG)));
            }
        }
        return new Node(data, links);
    }

    private static Link decodeLink(ProtoReader r) {
        Cid hash = null;
        String name = null;
        Long tsize = null;
        int lastField = 0;
        while (r.next()) {
            int field = r.field();
            int wire = r.wireType();
            if (field <= lastField) {
                throw new CodecException(
                        "dag-pb: PBLink field " + field + " out of order or repeated");
            }
            if (field == 1 && wire == 2) {
                byte[] h = r.bytes();
                try {
                    hash = Cid.fromBytes(h);
                } catch (MultiformatException e) {
                    throw new CodecException(
                            "dag-pb: Invalid Hash field found in link, expected CID ("
                                    + e.getMessage()
                                    + ")");
                }
            } else if (field == 2 && wire == 2) {
                if (hash == null) {
                    break;
                }
                name = r.string();
            } else if (field == 3 && wire == 0) {
                if (hash == null) {
                    break;
                }
                tsize = r.uint64();
                if (tsize < 0) {
                    throw new CodecException("dag-pb: Tsize exceeds 2^63-1");
                }
            } else {
                throw new CodecException(
                        "dag-pb: unexpected field "
                                + field
                                + " with wire type "
                                + wire
                                + " in PBLink");
            }
            lastField = field;
        }
        if (hash == null) {
            throw new CodecException("dag-pb: Invalid Hash field found in link, expected CID");
        }
        return new Link(hash, name, tsize);
    }

    public static byte[] encode(Node node) {
        ProtoWriter w = new ProtoWriter();
        for (Link link : node.links()) {
            w.message(2, encodeLink(link));
        }
        if (node.data() != null) {
            w.bytes(1, node.data());
        }
        return w.toByteArray();
    }

    private static ProtoWriter encodeLink(Link link) {
        ProtoWriter w = new ProtoWriter().bytes(1, link.hash().toBytes());
        if (link.name() != null) {
            w.string(2, link.name());
        }
        if (link.tsize() != null) {
            w.uint64(3, link.tsize());
        }
        return w;
    }

    /** The IPLD data model form of a node: {@code {Links: [{Hash, Name?, Tsize?}], Data?}}. */
    public static Map<String, Object> toForm(Node node) {
        Map<String, Object> form = new LinkedHashMap<>();
        List<Object> links = new ArrayList<>();
        for (Link l : node.links()) {
            Map<String, Object> lf = new LinkedHashMap<>();
            lf.put("Hash", l.hash());
            if (l.name() != null) {
                lf.put("Name", l.name());
            }
            if (l.tsize() != null) {
                lf.put("Tsize", l.tsize());
            }
            links.add(lf);
        }
        if (node.data() != null) {
            form.put("Data", node.data());
        }
        form.put("Links", links);
        return form;
    }

    /**
     * Validates a data model value as a DAG-PB node, with the errors the spec's reference gives.
     */
    public static Node fromForm(Object form) {
        if (!(form instanceof Map<?, ?> map)) {
            throw invalid(null);
        }
        if (!Set.of("Data", "Links").containsAll(map.keySet())) {
            throw invalid("extraneous properties");
        }
        byte[] data = null;
        if (map.containsKey("Data")) {
            if (!(map.get("Data") instanceof byte[] d)) {
                throw invalid("Data must be bytes");
            }
            data = d;
        }
        if (!(map.get("Links") instanceof List<?> rawLinks)) {
            throw invalid("Links must be a list");
        }
        List<Link> links = new ArrayList<>();
        byte[] previousName = null;
        for (Object raw : rawLinks) {
            Link link = linkFromForm(raw);
            byte[] name =
                    link.name() == null
                            ? new byte[0]
                            : link.name().getBytes(StandardCharsets.UTF_8);
            if (previousName != null && Arrays.compareUnsigned(previousName, name) > 0) {
                throw invalid("links must be sorted by Name bytes");
            }
            previousName = name;
            links.add(link);
        }
        return new Node(data, links);
    }

    private static Link linkFromForm(Object raw) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw invalid("bad link");
        }
        if (!m.containsKey("Hash")) {
            throw invalid("link must have a Hash");
        }
        if (!Set.of("Hash", "Name", "Tsize").containsAll(m.keySet())) {
            throw invalid("extraneous properties on link");
        }
        if (!(m.get("Hash") instanceof Cid hash)) {
            throw invalid("link Hash must be a CID");
        }
        String name = null;
        if (m.containsKey("Name")) {
            if (!(m.get("Name") instanceof String s)) {
                throw invalid("link Name must be a string");
            }
            name = s;
        }
        Long tsize = null;
        if (m.containsKey("Tsize")) {
            if (!(m.get("Tsize") instanceof Long t)) {
                throw invalid("link Tsize must be an integer");
            }
            if (t < 0) {
                throw invalid("link Tsize cannot be negative");
            }
            tsize = t;
        }
        return new Link(hash, name, tsize);
    }

    private static CodecException invalid(String why) {
        return new CodecException("Invalid DAG-PB form" + (why == null ? "" : " (" + why + ")"));
    }
}
