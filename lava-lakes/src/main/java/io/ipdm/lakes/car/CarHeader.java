package io.ipdm.lakes.car;

import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CARv1 header {@code {roots: [CID], version: 1}}, as dag-cbor. */
public record CarHeader(List<Cid> roots) {
    public CarHeader {
        roots = List.copyOf(roots);
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roots", new ArrayList<Object>(roots));
        m.put("version", 1L);
        return DagCbor.encode(m);
    }

    /** The version field of a header or v2 pragma; other checks are left to the caller. */
    static long version(byte[] bytes) {
        Object v;
        try {
            v = DagCbor.decode(bytes);
        } catch (CodecException e) {
            throw new CarException("invalid header data: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m) || !(m.get("version") instanceof Long version)) {
            throw new CarException("invalid header data: not a map with an integer version");
        }
        return version;
    }

    static CarHeader decodeV1(byte[] bytes) {
        Map<?, ?> m = (Map<?, ?>) DagCbor.decode(bytes);
        if (!(m.get("roots") instanceof List<?> roots)) {
            throw new CarException("invalid header data: roots must be a list of CIDs");
        }
        List<Cid> out = new ArrayList<>();
        for (Object r : roots) {
            if (!(r instanceof Cid c)) {
                throw new CarException("invalid header data: root " + r + " is not a CID");
            }
            out.add(c);
        }
        return new CarHeader(out);
    }
}
