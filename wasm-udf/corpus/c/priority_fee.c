/*
 * priority_fee: keep successful transactions that paid more than the base fee (5000 lamports per
 * signature) and map them to their priority fee per compute unit (micro-lamports per CU).
 */
#include "ipdm.h"

IPDM_DESCRIPTOR({
    "abi": 1,
    "functions": [{
        "name": "paid_priority", "kind": "filter",
        "input": [{"name": "fee", "type": "int64"},
                  {"name": "signatures", "type": "int32"},
                  {"name": "success", "type": "bool"}]
    }, {
        "name": "fee_per_cu", "kind": "map",
        "input": [{"name": "fee", "type": "int64"},
                  {"name": "signatures", "type": "int32"},
                  {"name": "compute_units", "type": "int64"}],
        "output": [{"name": "priority_fee", "type": "int64", "nullable": false},
                   {"name": "micro_lamports_per_cu", "type": "float64"}]
    }]
})
#define BASE_FEE_PER_SIGNATURE 5000

IPDM_EXPORT(paid_priority) int32_t paid_priority(const ArrowArray *in) {
    int32_t n = ipdm_rows(in);
    const int64_t *fee = ipdm_i64(in, 0);
    const int32_t *sigs = ipdm_i32(in, 1);
    uint8_t *keep = ipdm_selection_new(in);
    for (int32_t i = 0; i < n; i++) {
        if (ipdm_is_null(in, 0, i) || ipdm_is_null(in, 1, i) || ipdm_is_null(in, 2, i)) continue;
        if (ipdm_bool(in, 2, i) && fee[i] > (int64_t)sigs[i] * BASE_FEE_PER_SIGNATURE) {
            ipdm_select(keep, i);
        }
    }
    return ipdm_selection_finish(keep);
}

IPDM_EXPORT(fee_per_cu) int32_t fee_per_cu(const ArrowArray *in) {
    int32_t n = ipdm_rows(in);
    const int64_t *fee = ipdm_i64(in, 0);
    const int32_t *sigs = ipdm_i32(in, 1);
    const int64_t *cu = ipdm_i64(in, 2);
    ipdm_out out = ipdm_out_new(2, n);
    int64_t *prio = ipdm_out_i64(out, 0);
    double *per_cu = ipdm_out_f64(out, 1);
    for (int32_t i = 0; i < n; i++) {
        int64_t p = fee[i] - (int64_t)sigs[i] * BASE_FEE_PER_SIGNATURE;
        prio[i] = p > 0 ? p : 0;
        if (ipdm_is_null(in, 2, i) || cu[i] <= 0) {
            ipdm_out_set_null(out, 1, i);
        } else {
            per_cu[i] = (double)prio[i] * 1e6 / (double)cu[i];
        }
    }
    return ipdm_out_finish(out, n);
}
