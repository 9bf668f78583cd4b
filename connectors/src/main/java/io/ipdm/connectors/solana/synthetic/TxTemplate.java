package io.ipdm.connectors.solana.synthetic;

/**
 * The shape of one kind of non-vote transaction: which programs it invokes at the top level and
 * through CPI, how much compute it burns, how many token balances it moves.
 *
 * @param topLevel program ids of the top-level instructions, in order
 * @param innerOf for each top-level instruction, the programs it invokes (may be empty)
 * @param programIds distinct top-level ids, shared by every row of this template
 * @param innerProgramIds distinct inner ids, shared by every row of this template
 */
record TxTemplate(
        String name,
        double weight,
        String[] topLevel,
        String[][] innerOf,
        String[] programIds,
        String[] innerProgramIds,
        int baseComputeUnits,
        int accountsPerInstruction,
        int tokenTransfers) {

    int innerCount() {
        int n = 0;
        for (String[] inner : innerOf) {
            n += inner.length;
        }
        return n;
    }
}
