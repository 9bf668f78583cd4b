package io.ipdm.mesh.identity;

/** The libp2p key types and their protobuf enum numbers (peer-ids spec, "Keys"). */
public enum KeyType {
    RSA(0),
    ED25519(1),
    SECP256K1(2),
    ECDSA(3);

    private final int number;

    KeyType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static KeyType of(long number) {
        for (KeyType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new IdentityException("unknown libp2p key type " + number + " (known: 0-3)");
    }
}
