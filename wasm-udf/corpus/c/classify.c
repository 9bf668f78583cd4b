/*
 * classify: map each Solana transaction to a program family from the programs it invokes.
 * Precedence: vote > dex > token > system > other (a swap also touches the token program).
 * A null program list gives a null family (unknown, as a CEL or SQL expression over it gives).
 */
#include "ipdm.h"

IPDM_DESCRIPTOR({
    "abi": 1,
    "functions": [{
        "name": "classify", "kind": "map",
        "input": [{"name": "program_ids", "type": "list<utf8>"}],
        "output": [{"name": "family", "type": "utf8"}]
    }]
})
enum { IN_PROGRAM_IDS = 0 };
enum { OUT_FAMILY = 0 };
enum { OTHER, SYSTEM, TOKEN, DEX, VOTE };

static const char *const FAMILY_NAMES[] = {"other", "system", "token", "dex", "vote"};

#define P(id, family) {id, sizeof(id) - 1, family}
static const struct {
    const char *id;
    int32_t len;
    int family;
} PROGRAMS[] = {
    P("Vote111111111111111111111111111111111111111", VOTE),
    P("JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4", DEX),       /* Jupiter v6 */
    P("675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8", DEX),      /* Raydium AMM v4 */
    P("CAMMCzo5YL8w4VFF8KVHrK22GGUsp5VTaW7grrKgrWqK", DEX),      /* Raydium CLMM */
    P("whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc", DEX),       /* Orca Whirlpool */
    P("PhoeNiXZ8ByJGLkxNfZRnkUfjvmuYqLR89jjFHGqdXY", DEX),       /* Phoenix */
    P("LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo", DEX),       /* Meteora DLMM */
    P("6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P", DEX),       /* pump.fun */
    P("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", TOKEN),     /* SPL Token */
    P("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb", TOKEN),     /* Token-2022 */
    P("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL", TOKEN),    /* Associated Token Account */
    P("11111111111111111111111111111111", SYSTEM),
};

static int family_of(ipdm_bytes program) {
    for (unsigned i = 0; i < sizeof(PROGRAMS) / sizeof(PROGRAMS[0]); i++) {
        if (ipdm_bytes_eq_n(program, PROGRAMS[i].id, PROGRAMS[i].len)) return PROGRAMS[i].family;
    }
    return OTHER;
}

IPDM_EXPORT(classify) int32_t classify(const ArrowArray *in) {
    int32_t n = ipdm_rows(in);
    ipdm_out out = ipdm_out_new(1, n);
    ipdm_utf8_builder family = ipdm_out_utf8(out, OUT_FAMILY, n * 6);
    for (int32_t row = 0; row < n; row++) {
        if (ipdm_is_null(in, IN_PROGRAM_IDS, row)) {
            ipdm_utf8_push_str(&family, "");
            ipdm_out_set_null(out, OUT_FAMILY, row);
            continue;
        }
        int best = OTHER;
        int32_t k = ipdm_list_len(in, IN_PROGRAM_IDS, row);
        for (int32_t i = 0; i < k; i++) {
            int f = family_of(ipdm_list_utf8(in, IN_PROGRAM_IDS, row, i));
            if (f > best) best = f;
        }
        ipdm_utf8_push_str(&family, FAMILY_NAMES[best]);
    }
    return ipdm_out_finish(out, n);
}
