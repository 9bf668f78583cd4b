package io.ipdm.connectors.solana.block;

import java.util.ArrayList;
import java.util.List;

/**
 * A transaction with its status meta, independent of the encoding it arrived in.
 *
 * @param signature the first signature in base58; null when the decoder was told no read column
 *     holds it
 * @param fee lamports, null when the RPC returned no meta
 * @param error meta.err as compact JSON, null when the transaction succeeded
 * @param computeUnits meta.computeUnitsConsumed, null for blocks that predate it
 */
public record SolanaTransaction(
        int index,
        String signature,
        int numSignatures,
        String version,
        AccountKeys accountKeys,
        String recentBlockhash,
        List<Instruction> instructions,
        List<InnerInstructions> innerInstructions,
        boolean hasMeta,
        Long fee,
        String error,
        Long computeUnits,
        List<TokenBalance> preTokenBalances,
        List<TokenBalance> postTokenBalances) {

    public static final String VOTE_PROGRAM = "Vote111111111111111111111111111111111111111";
    private static final byte[] VOTE_PROGRAM_KEY = io.ipdm.multiformats.Base58.decode(VOTE_PROGRAM);

    /** A transaction read without its metadata: no status, fee, inner instructions or balances. */
    public static SolanaTransaction withoutMeta(
            int index,
            String signature,
            int numSignatures,
            String version,
            AccountKeys accountKeys,
            String recentBlockhash,
            List<Instruction> instructions) {
        return new SolanaTransaction(
                index,
                signature,
                numSignatures,
                version,
                accountKeys,
                recentBlockhash,
                instructions,
                List.of(),
                false,
                null,
                null,
                null,
                List.of(),
                List.of());
    }

    public String feePayer() {
        return accountKeys.get(0);
    }

    /** Null when the RPC sent no meta (status unknown). */
    public Boolean success() {
        return hasMeta ? error == null : null;
    }

    /** A vote transaction invokes the Vote program from a top-level instruction. */
    public boolean isVote() {
        for (Instruction ix : instructions) {
            if (accountKeys.is(ix.programIdIndex(), VOTE_PROGRAM_KEY, VOTE_PROGRAM)) {
                return true;
            }
        }
        return false;
    }

    /** Distinct top-level program ids in order of first invocation. */
    public String[] programIds() {
        int n = instructions.size();
        if (n == 0) {
            return EMPTY;
        }
        String[] ids = new String[n];
        int k = addPrograms(instructions, new long[4], ids, 0);
        return k == n ? ids : java.util.Arrays.copyOf(ids, k);
    }

    /** Distinct program ids invoked by inner instructions, in order of first invocation. */
    public String[] innerProgramIds() {
        int n = innerInstructionCount();
        if (n == 0) {
            return EMPTY;
        }
        String[] ids = new String[n];
        long[] seenIndex = new long[4];
        int k = 0;
        for (InnerInstructions group : innerInstructions) {
            k = addPrograms(group.instructions(), seenIndex, ids, k);
        }
        return k == n ? ids : java.util.Arrays.copyOf(ids, k);
    }

    /**
     * Adds the program ids of {@code ixs} not yet in {@code ids[0, k)} and returns the new count:
     * distinct account indexes first ({@code seenIndex}, a bitmap: indexes are u8), then distinct
     * keys among those few, so a transaction of many instructions costs no quadratic scan and no
     * hashing.
     */
    private int addPrograms(List<Instruction> ixs, long[] seenIndex, String[] ids, int k) {
        for (int i = 0; i < ixs.size(); i++) {
            int index = ixs.get(i).programIdIndex();
            if (index >= 0 && index < 256) {
                long bit = 1L << (index & 63);
                if ((seenIndex[index >>> 6] & bit) != 0) {
                    continue;
                }
                seenIndex[index >>> 6] |= bit;
            }
            String id = accountKeys.get(index);
            boolean seen = false;
            for (int j = 0; j < k && !seen; j++) {
                seen = ids[j].equals(id);
            }
            if (!seen) {
                ids[k++] = id;
            }
        }
        return k;
    }

    public int innerInstructionCount() {
        int n = 0;
        for (InnerInstructions group : innerInstructions) {
            n += group.instructions().size();
        }
        return n;
    }

    /** Inner instruction groups keyed by top-level index, for emitting in execution order. */
    public List<List<Instruction>> innerByTopLevel() {
        List<List<Instruction>> out = new ArrayList<>(instructions.size());
        for (int i = 0; i < instructions.size(); i++) {
            out.add(List.of());
        }
        for (InnerInstructions group : innerInstructions) {
            if (group.index() >= 0 && group.index() < out.size()) {
                out.set(group.index(), group.instructions());
            }
        }
        return out;
    }

    private static final String[] EMPTY = new String[0];
}
