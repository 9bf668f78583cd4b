package io.ipdm.multiformats;

/**
 * The multicodec codes IPDM reads or writes (names and codes as in the multicodec table). A code
 * that is not listed is still carried through as a number; only these have a name.
 */
public enum Multicodec {
    IDENTITY("identity", 0x00),
    CIDV1("cidv1", 0x01),
    SHA1("sha1", 0x11),
    SHA2_256("sha2-256", 0x12),
    SHA2_512("sha2-512", 0x13),
    SHA3_512("sha3-512", 0x14),
    SHA3_384("sha3-384", 0x15),
    SHA3_256("sha3-256", 0x16),
    SHA3_224("sha3-224", 0x17),
    RAW("raw", 0x55),
    DAG_PB("dag-pb", 0x70),
    DAG_CBOR("dag-cbor", 0x71),
    LIBP2P_KEY("libp2p-key", 0x72),
    DAG_JSON("dag-json", 0x0129),
    CAR("car", 0x0202),
    FR32_SHA256_TRUNC254_PADBINTREE("fr32-sha256-trunc254-padbintree", 0x1011),
    SHA2_256_TRUNC254_PADDED("sha2-256-trunc254-padded", 0x1012),
    BLAKE2B_256("blake2b-256", 0xb220),
    FIL_COMMITMENT_UNSEALED("fil-commitment-unsealed", 0xf101);

    private final String codecName;
    private final int code;

    Multicodec(String codecName, int code) {
        this.codecName = codecName;
        this.code = code;
    }

    public String codecName() {
        return codecName;
    }

    public int code() {
        return code;
    }

    /** The name of a code, or {@code 0x...} when it is not one listed here. */
    public static String nameOf(long code) {
        for (Multicodec c : values()) {
            if (c.code == code) {
                return c.codecName;
            }
        }
        return "0x" + Long.toHexString(code);
    }

    public static Multicodec forName(String name) {
        for (Multicodec c : values()) {
            if (c.codecName.equals(name)) {
                return c;
            }
        }
        throw new MultiformatException("unknown multicodec '" + name + "'");
    }
}
