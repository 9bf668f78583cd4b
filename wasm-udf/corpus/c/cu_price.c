/*
 * cu_price: the fee-weighted average compute-unit price of transactions, as a window aggregate
 * (e.g. per program per minute): which programs' users pay the most per compute unit, weighted by
 * how much they pay. The price of a transaction is its priority fee (fee above the base fee of 5000
 * lamports per signature) in micro-lamports per compute unit consumed. Rows with a null input or
 * with compute_units <= 0 have no price and are skipped.
 *
 *   weighted_cu_price = sum(fee * price) / sum(fee)      (null when no priced row has a fee)
 */
#include "ipdm.h"

IPDM_DESCRIPTOR({
    "abi": 1,
    "functions": [{
        "name": "fee_weighted", "kind": "aggregate",
        "input": [{"name": "fee", "type": "int64"},
                  {"name": "signatures", "type": "int32"},
                  {"name": "compute_units", "type": "int64"}],
        "output": [{"name": "weighted_cu_price", "type": "float64"},
                   {"name": "min_cu_price", "type": "float64"},
                   {"name": "max_cu_price", "type": "float64"},
                   {"name": "priced_txs", "type": "int64", "nullable": false},
                   {"name": "priced_fees", "type": "int64", "nullable": false}]
    }]
})
#define BASE_FEE_PER_SIGNATURE 5000

typedef struct {
    double fee_price; /* sum of fee * price */
    double min;
    double max;
    int64_t txs;
    int64_t fees;
} state;

static int32_t finish(state s) {
    state *out = (state *)ipdm_state_new(sizeof(state));
    *out = s;
    return ipdm_state_finish(out);
}

IPDM_EXPORT(fee_weighted_create) int32_t fee_weighted_create(void) {
    state s = {0.0, __builtin_inf(), -__builtin_inf(), 0, 0};
    return finish(s);
}

IPDM_EXPORT(fee_weighted_add) int32_t fee_weighted_add(int32_t blob, const ArrowArray *in) {
    state *p = (state *)ipdm_state_data(blob, sizeof(state));
    if (!p) return IPDM_ERR_STATE;
    state s = *p;
    int32_t n = ipdm_rows(in);
    const int64_t *fee = ipdm_i64(in, 0);
    const int32_t *sigs = ipdm_i32(in, 1);
    const int64_t *cu = ipdm_i64(in, 2);
    for (int32_t i = 0; i < n; i++) {
        if (ipdm_is_null(in, 0, i) || ipdm_is_null(in, 1, i) || ipdm_is_null(in, 2, i)) continue;
        if (cu[i] <= 0) continue;
        int64_t prio = fee[i] - (int64_t)sigs[i] * BASE_FEE_PER_SIGNATURE;
        double price = (double)(prio > 0 ? prio : 0) * 1e6 / (double)cu[i];
        s.fee_price += (double)fee[i] * price;
        s.fees += fee[i];
        s.txs += 1;
        if (price < s.min) s.min = price;
        if (price > s.max) s.max = price;
    }
    return finish(s);
}

IPDM_EXPORT(fee_weighted_merge) int32_t fee_weighted_merge(int32_t a, int32_t b) {
    state *x = (state *)ipdm_state_data(a, sizeof(state));
    state *y = (state *)ipdm_state_data(b, sizeof(state));
    if (!x || !y) return IPDM_ERR_STATE;
    state s = {x->fee_price + y->fee_price, x->min < y->min ? x->min : y->min,
               x->max > y->max ? x->max : y->max, x->txs + y->txs, x->fees + y->fees};
    return finish(s);
}

IPDM_EXPORT(fee_weighted_result) int32_t fee_weighted_result(int32_t blob) {
    state *s = (state *)ipdm_state_data(blob, sizeof(state));
    if (!s) return IPDM_ERR_STATE;
    ipdm_out out = ipdm_out_new(5, 1);
    ipdm_out_f64(out, 0)[0] = s->fees > 0 ? s->fee_price / (double)s->fees : 0.0;
    ipdm_out_f64(out, 1)[0] = s->min;
    ipdm_out_f64(out, 2)[0] = s->max;
    ipdm_out_i64(out, 3)[0] = s->txs;
    ipdm_out_i64(out, 4)[0] = s->fees;
    if (s->fees <= 0) ipdm_out_set_null(out, 0, 0);
    if (s->txs == 0) {
        ipdm_out_set_null(out, 1, 0);
        ipdm_out_set_null(out, 2, 0);
    }
    return ipdm_out_finish(out, 1);
}
