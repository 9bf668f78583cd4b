package io.ipdm.connectors.solana.block;

/** One entry of meta.preTokenBalances / postTokenBalances; {@code amount} is the raw u64 text. */
public record TokenBalance(
        int accountIndex,
        String mint,
        String owner,
        String programId,
        String amount,
        int decimals) {}
