package io.ipdm.lakes.ipld;

import io.ipdm.lakes.cid.Cid;
import io.ipdm.lakes.cid.CidException;
import java.io.ByteArrayOutputStream;
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
        Reader r = new Reader(in, 0, in.length);
        List<Link> links = new ArrayList<>();
        byte[] data = null;
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (wire != 2 || (field != 1 && field != 2)) {
                throw new CodecException(
                        "dag-pb: unexpected field "
                                + field
                                + " with wire type "
                                + wire
                                + " in PBNode");
            }
            int len = r.length();
            if (field == 1) {
                if (data != null) {
                    throw new CodecException("dag-pb: duplicate Data section");
                }
                data = Arrays.copyOfRange(in, r.pos, r.pos + len);
            } else {
                if (data != null) {
                    throw new CodecException("dag-pb: duplicate Links section (Links after Data)");
                }
                links.add(decodeLink(in, r.pos, r.pos + len));
            }
            r.pos += len;
        }
        return new Node(data, links);
    }

    private static Link decodeLink(byte[] in, int start, int end) {
        Reader r = new Reader(in, start, end);
        Cid hash = null;
        String name = null;
        Long tsize = null;
        int lastField = 0;
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field <= lastField) {
                throw new CodecException(
                        "dag-pb: PBLink field " + field + " out of order or repeated");
            }
            if (field == 1 && wire == 2) {
                int len = r.length();
                try {
                    hash = Cid.fromBytes(Arrays.copyOfRange(in, r.pos, r.pos + len));
                } catch (CidException e) {
                    throw new CodecException(
                            "dag-pb: Invalid Hash field found in link, expected CID ("
                                    + e.getMessage()
                                    + ")");
                }
                r.pos += len;
            } else if (field == 2 && wire == 2) {
                if (hash == null) {
                    break;
                }
                int len = r.length();
                name = new String(in, r.pos, len, StandardCharsets.UTF_8);
                r.pos += len;
            } else if (field == 3 && wire == 0) {
                if (hash == null) {
                    break;
                }
                tsize = r.varint();
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Link link : node.links()) {
            byte[] l = encodeLink(link);
            out.write(0x12);
            writeVarint(out, l.length);
            out.writeBytes(l);
        }
        if (node.data() != null) {
            out.write(0x0a);
            writeVarint(out, node.data().length);
            out.writeBytes(node.data());
        }
        return out.toByteArray();
    }

    private static byte[] encodeLink(Link link) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = link.hash().toBytes();
        out.write(0x0a);
        writeVarint(out, h.length);
        out.writeBytes(h);
        if (link.name() != null) {
            byte[] n = link.name().getBytes(StandardCharsets.UTF_8);
            out.write(0x12);
            writeVarint(out, n.length);
            out.writeBytes(n);
        }
        if (link.tsize() != null) {
            out.write(0x18);
            writeVarint(out, link.tsize());
        }
        return out.toByteArray();
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

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class Reader {
        private final byte[] in;
        private final int end;
        private int pos;

        Reader(byte[] in, int start, int end) {
            this.in = in;
            this.pos = start;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new CodecException("dag-pb: truncated varint");
                }
                int b = in[pos++] & 0xFF;
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new CodecException("dag-pb: varint longer than 10 bytes");
        }

        int length() {
            long len = varint();
            if (len < 0 || len > end - pos) {
                throw new CodecException(
                        "dag-pb: field length "
                                + len
                                + " exceeds the remaining "
                                + (end - pos)
                                + " bytes");
            }
            return (int) len;
        }
    }
}
