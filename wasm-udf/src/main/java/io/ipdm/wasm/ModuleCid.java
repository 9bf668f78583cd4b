package io.ipdm.wasm;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Multihash;
import java.util.HexFormat;

/**
 * Content id of a module's bytes: a {@link Cid} v1, codec {@code raw} (0x55), multihash sha2-256
 * (0x12, 32 bytes), written in multibase base32 lower case without padding ({@code b...}, e.g.
 * {@code bafkrei...}). Only this one shape is a module id, so {@link #parse} refuses every other
 * CID.
 */
public final class ModuleCid {
    private final Cid cid;

    private ModuleCid(Cid cid) {
        this.cid = cid;
    }

    /** The CID of these bytes. */
    public static ModuleCid of(byte[] bytes) {
        return new ModuleCid(Cid.sha256(Multicodec.RAW, bytes));
    }

    /** Parses a {@code b...} CIDv1 string; only raw + sha2-256 are module ids. */
    public static ModuleCid parse(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != 'b') {
            throw new IllegalArgumentException(
                    "not a module CID: '"
                            + text
                            + "'; expected CIDv1 in base32 starting with 'b' (e.g. bafkrei...)");
        }
        // Cid.parse reads either case; a module id is written in lower case only.
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '2' && c <= '7')) {
                throw new IllegalArgumentException(
                        "not a module CID: '"
                                + text
                                + "' has '"
                                + c
                                + "', which is not base32 lower case");
            }
        }
        Cid cid;
        try {
            cid = Cid.parse(text);
        } catch (MultiformatException e) {
            throw new IllegalArgumentException("not a module CID: " + e.getMessage());
        }
        Multihash mh = cid.multihash();
        if (cid.version() != 1
                || cid.codec() != Multicodec.RAW.code()
                || mh.code() != Multihash.SHA2_256) {
            throw new IllegalArgumentException(
                    "not a module CID: '"
                            + text
                            + "'; module CIDs are CIDv1, raw codec, sha2-256 (prefix 01 55 12 20)");
        }
        return new ModuleCid(cid);
    }

    /** The CID itself. */
    public Cid cid() {
        return cid;
    }

    /** The binary CID: version, codec, multihash. */
    public byte[] bytes() {
        return cid.toBytes();
    }

    public String digestHex() {
        return HexFormat.of().formatHex(cid.multihash().digest());
    }

    @Override
    public String toString() {
        return cid.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleCid other && cid.equals(other.cid);
    }

    @Override
    public int hashCode() {
        return cid.hashCode();
    }
}
