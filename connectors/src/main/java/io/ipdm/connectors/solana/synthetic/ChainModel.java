package io.ipdm.connectors.solana.synthetic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fixed population a synthetic chain draws from, derived from the seed only: validators,
 * accounts, token accounts, mints, transaction templates over real program ids, error strings, and
 * pools of ready-made base58 text so that generating a row never encodes bytes.
 *
 * <p>Random base58 text is made valid by construction: 43 characters whose first digit is at least
 * 4 always decode to exactly 32 bytes (58^42 * 4 > 2^248, 58^43 < 2^256); 87 characters whose first
 * digit is at least 2 decode to exactly 64 bytes (58^86 * 2 > 2^504, 58^87 < 2^512).
 *
 * <p>Immutable and shared by all readers in a JVM with the same seed and pool size.
 */
final class ChainModel {
    static final String SYSTEM = "11111111111111111111111111111111";
    static final String VOTE = "Vote111111111111111111111111111111111111111";
    static final String TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    static final String TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
    static final String ATA = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
    static final String COMPUTE_BUDGET = "ComputeBudget111111111111111111111111111111";
    static final String JUPITER = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";
    static final String RAYDIUM_AMM = "675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8";
    static final String RAYDIUM_CLMM = "CAMMCzo5YL8w4VFF8KVHrK22GGUsp5VTaW7grrKgrWqK";
    static final String ORCA_WHIRLPOOL = "whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc";
    static final String PUMP = "6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P";
    static final String METEORA_DLMM = "LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo";
    static final String PHOENIX = "PhoeNiXZ8ByJGLkxNfZRnkUfjvmuYqLR89jjFHGqdXY";
    static final String MEMO = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr";
    static final String METAPLEX = "metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s";
    static final String DRIFT = "dRiftyHA39MWEi3m9aunc5MzRF1JYuBsbn6VPcn33UH";
    static final String STAKE = "Stake11111111111111111111111111111111111111";

    static final String[] REAL_MINTS = {
        "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", // USDC
        "So11111111111111111111111111111111111111112", // wrapped SOL
        "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB", // USDT
        "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263", // BONK
        "JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN", // JUP
    };
    static final int[] REAL_MINT_DECIMALS = {6, 9, 6, 5, 6};

    private static final byte[] ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
                    .getBytes(StandardCharsets.US_ASCII);
    static final int SIGNATURE_PREFIX = 76;
    private static final Map<String, ChainModel> CACHE = new ConcurrentHashMap<>();

    final String[] validators;
    final String[] voteAccounts;
    final AliasTable validatorPick;
    final String[] accounts;
    final String[] tokenAccounts;
    final AliasTable accountPick;
    final String[] mints;
    final int[] mintDecimals;
    final double[] mintScale;
    final AliasTable mintPick;
    final TxTemplate[] templates;
    final AliasTable templatePick;
    final String[] errors;
    final AliasTable errorPick;
    final byte[][] signaturePrefixes;
    final String[] instructionData;
    final String[] voteData;
    final String[][] voteProgramIds = {{VOTE}};

    static ChainModel of(long seed, int accountPool, int validatorPool) {
        return CACHE.computeIfAbsent(
                seed + "/" + accountPool + "/" + validatorPool,
                k -> new ChainModel(seed, accountPool, validatorPool));
    }

    private ChainModel(long seed, int accountPool, int validatorPool) {
        Rng rng = new Rng(Rng.mix(seed ^ 0x5DEECE66DL));
        validators = keys(rng, validatorPool);
        voteAccounts = keys(rng, validatorPool);
        validatorPick = AliasTable.zipf(validatorPool, 0.8);
        accounts = keys(rng, accountPool);
        tokenAccounts = keys(rng, accountPool);
        accountPick = AliasTable.zipf(accountPool, 1.05);
        int mintCount = 500;
        mints = new String[mintCount];
        mintDecimals = new int[mintCount];
        mintScale = new double[mintCount];
        for (int i = 0; i < mintCount; i++) {
            mints[i] = i < REAL_MINTS.length ? REAL_MINTS[i] : key(rng);
            mintDecimals[i] =
                    i < REAL_MINTS.length ? REAL_MINT_DECIMALS[i] : (rng.nextInt(2) == 0 ? 6 : 9);
            mintScale[i] = Math.pow(10, -mintDecimals[i]);
        }
        mintPick = AliasTable.zipf(mintCount, 1.2);
        templates = templates();
        double[] w = new double[templates.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = templates[i].weight();
        }
        templatePick = new AliasTable(w);
        errors =
                new String[] {
                    "{\"InstructionError\":[1,{\"Custom\":6001}]}",
                    "{\"InstructionError\":[2,{\"Custom\":1}]}",
                    "{\"InstructionError\":[1,{\"Custom\":6024}]}",
                    "{\"InstructionError\":[2,{\"Custom\":30}]}",
                    "{\"InstructionError\":[1,\"ProgramFailedToComplete\"]}",
                    "{\"InstructionError\":[3,{\"Custom\":6000}]}",
                    "{\"InstructionError\":[1,\"ComputationalBudgetExceeded\"]}",
                    "{\"InstructionError\":[0,{\"Custom\":1}]}",
                };
        errorPick = new AliasTable(new double[] {30, 20, 15, 10, 8, 7, 6, 4});
        signaturePrefixes = new byte[1024][];
        for (int i = 0; i < signaturePrefixes.length; i++) {
            signaturePrefixes[i] = text(rng, SIGNATURE_PREFIX, 2);
        }
        instructionData = new String[512];
        for (int i = 0; i < instructionData.length; i++) {
            instructionData[i] =
                    new String(text(rng, 1 + rng.nextInt(80), 1), StandardCharsets.US_ASCII);
        }
        voteData = new String[64];
        for (int i = 0; i < voteData.length; i++) {
            voteData[i] =
                    new String(text(rng, 100 + rng.nextInt(20), 1), StandardCharsets.US_ASCII);
        }
    }

    private static TxTemplate[] templates() {
        List<TxTemplate> t = new ArrayList<>();
        String[] none = {};
        t.add(
                tpl(
                        "sol_transfer",
                        10,
                        450,
                        3,
                        0,
                        new String[] {COMPUTE_BUDGET, SYSTEM},
                        none,
                        none));
        t.add(
                tpl(
                        "spl_transfer",
                        8,
                        4_600,
                        3,
                        1,
                        new String[] {COMPUTE_BUDGET, TOKEN},
                        none,
                        none));
        t.add(
                tpl(
                        "token2022_transfer",
                        2,
                        6_200,
                        4,
                        1,
                        new String[] {COMPUTE_BUDGET, TOKEN_2022},
                        none,
                        none));
        t.add(
                tpl(
                        "ata_create_transfer",
                        4,
                        30_000,
                        6,
                        1,
                        new String[] {COMPUTE_BUDGET, ATA, TOKEN},
                        none,
                        new String[] {TOKEN, SYSTEM, TOKEN},
                        none));
        t.add(
                tpl(
                        "jupiter_swap",
                        14,
                        150_000,
                        16,
                        2,
                        new String[] {COMPUTE_BUDGET, COMPUTE_BUDGET, JUPITER},
                        none,
                        none,
                        new String[] {RAYDIUM_AMM, TOKEN, TOKEN, ORCA_WHIRLPOOL, TOKEN, TOKEN}));
        t.add(
                tpl(
                        "jupiter_swap_meteora",
                        5,
                        120_000,
                        14,
                        2,
                        new String[] {COMPUTE_BUDGET, JUPITER},
                        none,
                        new String[] {METEORA_DLMM, TOKEN, TOKEN}));
        t.add(
                tpl(
                        "raydium_swap",
                        12,
                        40_000,
                        18,
                        2,
                        new String[] {COMPUTE_BUDGET, COMPUTE_BUDGET, RAYDIUM_AMM},
                        none,
                        none,
                        new String[] {TOKEN, TOKEN}));
        t.add(
                tpl(
                        "raydium_clmm_swap",
                        4,
                        70_000,
                        14,
                        2,
                        new String[] {COMPUTE_BUDGET, RAYDIUM_CLMM},
                        none,
                        new String[] {TOKEN, TOKEN}));
        t.add(
                tpl(
                        "orca_swap",
                        6,
                        60_000,
                        11,
                        2,
                        new String[] {COMPUTE_BUDGET, ORCA_WHIRLPOOL},
                        none,
                        new String[] {TOKEN, TOKEN}));
        t.add(
                tpl(
                        "pump_trade",
                        12,
                        45_000,
                        14,
                        1,
                        new String[] {COMPUTE_BUDGET, COMPUTE_BUDGET, PUMP},
                        none,
                        none,
                        new String[] {TOKEN, SYSTEM, SYSTEM}));
        t.add(
                tpl(
                        "pump_create",
                        1,
                        120_000,
                        14,
                        1,
                        new String[] {COMPUTE_BUDGET, PUMP},
                        none,
                        new String[] {SYSTEM, TOKEN, ATA, SYSTEM, TOKEN, METAPLEX, SYSTEM, TOKEN}));
        t.add(
                tpl(
                        "meteora_swap",
                        3,
                        80_000,
                        15,
                        2,
                        new String[] {COMPUTE_BUDGET, METEORA_DLMM},
                        none,
                        new String[] {TOKEN, TOKEN}));
        t.add(tpl("phoenix_trade", 3, 25_000, 10, 1, new String[] {PHOENIX}, new String[] {TOKEN}));
        t.add(
                tpl(
                        "drift_order",
                        3,
                        90_000,
                        12,
                        0,
                        new String[] {COMPUTE_BUDGET, DRIFT},
                        none,
                        none));
        t.add(tpl("memo_transfer", 1, 12_000, 3, 0, new String[] {MEMO, SYSTEM}, none, none));
        t.add(tpl("stake", 1, 3_000, 5, 0, new String[] {STAKE}, none));
        return t.toArray(new TxTemplate[0]);
    }

    private static TxTemplate tpl(
            String name,
            double weight,
            int cu,
            int accounts,
            int transfers,
            String[] top,
            String[]... inner) {
        if (inner.length != top.length) {
            throw new IllegalStateException(name + ": one inner list per top-level instruction");
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>(List.of(top));
        LinkedHashSet<String> innerIds = new LinkedHashSet<>();
        for (String[] i : inner) {
            innerIds.addAll(List.of(i));
        }
        return new TxTemplate(
                name,
                weight,
                top,
                inner,
                ids.toArray(new String[0]),
                innerIds.toArray(new String[0]),
                cu,
                accounts,
                transfers);
    }

    private static String[] keys(Rng rng, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = key(rng);
        }
        return out;
    }

    /** A random valid base58 public key (43 characters, first digit >= 4: exactly 32 bytes). */
    static String key(Rng rng) {
        return new String(text(rng, 43, 4), StandardCharsets.US_ASCII);
    }

    /** Random base58 text of {@code len} characters whose first digit is at least {@code min}. */
    static byte[] text(Rng rng, int len, int minFirst) {
        byte[] b = new byte[len];
        b[0] = ALPHABET[minFirst + rng.nextInt(58 - minFirst)];
        for (int i = 1; i < len; i++) {
            b[i] = ALPHABET[rng.nextInt(58)];
        }
        return b;
    }

    /**
     * A signature unique per (slot, index): a pooled random 76-character prefix and an 11-character
     * suffix encoding a bijective mix of (slot, index) (58^11 > 2^64).
     */
    String signature(long seedMix, long slot, int index, int prefix) {
        byte[] b = new byte[SIGNATURE_PREFIX + 11];
        System.arraycopy(signaturePrefixes[prefix], 0, b, 0, SIGNATURE_PREFIX);
        long v = Rng.mix(((slot << 20) | index) ^ seedMix);
        int p = b.length - 1;
        b[p--] = ALPHABET[(int) Long.remainderUnsigned(v, 58)];
        v = Long.divideUnsigned(v, 58);
        while (p >= SIGNATURE_PREFIX) {
            b[p--] = ALPHABET[(int) (v % 58)];
            v /= 58;
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String blockhash(long seed, long slot) {
        Rng r = new Rng(Rng.slotSeed(seed, slot, 0xB10C));
        return key(r);
    }
}
