package io.ipdm.connectors.solana;

/**
 * What a source does with a block it cannot decode. Flink sources have a single output, so there is
 * no side output: either the job fails with the decoder's message (default: replays are expected to
 * be exact), or the block is logged at WARN, counted in the {@code corruptBlocks} metric and
 * skipped.
 */
public enum CorruptBlockPolicy {
    FAIL,
    SKIP
}
