package io.ipdm.connectors.solana.block;

import java.util.List;

/** The instructions invoked (via CPI) while executing top-level instruction {@code index}. */
public record InnerInstructions(int index, List<Instruction> instructions) {}
