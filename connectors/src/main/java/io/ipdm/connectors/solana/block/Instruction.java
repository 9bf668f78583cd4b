package io.ipdm.connectors.solana.block;

import io.ipdm.multiformats.Base58;

/**
 * One instruction, top-level or inner, with accounts as indexes into {@link AccountKeys}. {@code
 * accounts} and the data are null for instructions that jsonParsed encoding replaced by a parsed
 * form (the RPC node does not send their raw accounts and data), and for inner instructions of a
 * block decoded for a projection that reads neither ({@link Projection#innerInstructionDetail}).
 */
public final class Instruction {
    private final int programIdIndex;
    private final int[] accounts;
    private final byte[] rawData;
    private String base58Data;
    private final Integer stackHeight;

    public Instruction(
            int programIdIndex,
            int[] accounts,
            byte[] rawData,
            String base58Data,
            Integer stackHeight) {
        this.programIdIndex = programIdIndex;
        this.accounts = accounts;
        this.rawData = rawData;
        this.base58Data = base58Data;
        this.stackHeight = stackHeight;
    }

    public int programIdIndex() {
        return programIdIndex;
    }

    /** Account indexes, or null when the encoding did not carry them. */
    public int[] accounts() {
        return accounts;
    }

    /** Instruction data in base58 (as RPC's json encoding shows it), or null if not carried. */
    public String data() {
        if (base58Data == null && rawData != null) {
            base58Data = Base58.encode(rawData);
        }
        return base58Data;
    }

    public Integer stackHeight() {
        return stackHeight;
    }
}
