package io.ipdm.connectors.solana.wire;

/** A v0 message's reference into an on-chain address lookup table. */
public record AddressTableLookup(byte[] tableKey, int[] writableIndexes, int[] readonlyIndexes) {}
