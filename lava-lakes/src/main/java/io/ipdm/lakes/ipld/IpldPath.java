package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One step of an IPLD data-model path (<a href="https://ipld.io/docs/data-model/pathing/">IPLD
 * pathing</a>) inside a dag-cbor or dag-json block: a map is entered by key, a list by a decimal
 * index ({@code 0}, {@code 12}; no sign, no leading zero), and a link ends the step at the CID it
 * names (the caller loads that block and goes on). Scalars, strings and bytes have nothing inside.
 * Used by {@link UnixFsPath} for the blocks that are not dag-pb.
 */
public final class IpldPath {
    private IpldPath() {}

    /** Whether paths inside {@code cid}'s block are walked here (dag-cbor, dag-json). */
    public static boolean walks(Cid cid) {
        long codec = cid.codec();
        return codec == Multicodec.DAG_CBOR.code() || codec == Multicodec.DAG_JSON.code();
    }

    /**
     * The block's data-model value; dag-cbor text that is not UTF-8 (Lotus writes such) is read
     * lossily ({@link DagCbor#decodeLossyText}), as a path only matches keys and follows links.
     *
     * @throws CodecException when it does not decode under its codec
     */
    public static Object decode(Block b) {
        if (b.cid().codec() == Multicodec.DAG_JSON.code()) {
            return DagJson.decode(new String(b.data(), StandardCharsets.UTF_8));
        }
        return DagCbor.decodeLossyText(b.data());
    }

    /** What {@link #step} answers when there is no such node (a map value may be null). */
    public static final Object NONE = new Object();

    /**
     * The node under {@code node} named by {@code seg} (a {@link Cid} when it is a link), or {@link
     * #NONE} when there is none; {@link #why} then says why.
     */
    public static Object step(Object node, String seg) {
        if (node instanceof Map<?, ?> m) {
            return m.containsKey(seg) ? m.get(seg) : NONE;
        }
        if (node instanceof List<?> l) {
            int i = index(seg);
            return i >= 0 && i < l.size() ? l.get(i) : NONE;
        }
        return NONE;
    }

    /** Why {@link #step} found nothing for {@code seg} under {@code node}, one phrase. */
    public static String why(Object node, String seg) {
        if (node instanceof Map<?, ?> m) {
            return "the map (" + m.size() + " keys) has no key '" + seg + "'";
        }
        if (node instanceof List<?> l) {
            return index(seg) < 0
                    ? "'" + seg + "' is not a list index (a list of " + l.size() + ")"
                    : "index " + seg + " is past the end of the list (" + l.size() + " items)";
        }
        return "it is " + kind(node) + ", which has no '" + seg + "' inside";
    }

    /** The data-model kind of {@code node}, with an article. */
    public static String kind(Object node) {
        return switch (node) {
            case null -> "null";
            case Boolean b -> "a boolean";
            case String s -> "a string";
            case byte[] b -> "bytes";
            case Double d -> "a float";
            case Number n -> "an integer";
            case Cid c -> "a link";
            case Map<?, ?> m -> "a map";
            case List<?> l -> "a list";
            default -> "a " + node.getClass().getSimpleName();
        };
    }

    /** A list index segment's value, or -1 when {@code seg} is not one. */
    private static int index(String seg) {
        if (seg.isEmpty() || seg.length() > 9 || (seg.length() > 1 && seg.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < seg.length(); i++) {
            if (seg.charAt(i) < '0' || seg.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(seg);
    }
}
