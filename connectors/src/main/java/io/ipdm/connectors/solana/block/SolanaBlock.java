package io.ipdm.connectors.solana.block;

import java.util.List;

/**
 * A decoded getBlock result, or a single getTransaction result ({@link #isBlock()} false: then only
 * slot, block time and the one transaction are known).
 *
 * @param transactions null when the block was fetched without transaction details
 * @param leader pubkey of the block's Fee reward, null without rewards
 */
public record SolanaBlock(
        String source,
        boolean isBlock,
        long slot,
        Long parentSlot,
        String blockhash,
        String previousBlockhash,
        Long blockTime,
        Long blockHeight,
        List<SolanaTransaction> transactions,
        String leader,
        Long leaderReward) {}
