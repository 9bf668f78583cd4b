package io.ipdm.connectors.solana.wire;

/**
 * An instruction as compiled into a message: indexes into the transaction's account keys (static
 * keys first, then loaded writable, then loaded readonly) and opaque data.
 */
public record CompiledInstruction(int programIdIndex, int[] accountIndexes, byte[] data) {}
