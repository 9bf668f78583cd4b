/* Rejects batches with a negative value: returns IPDM_ERR_INPUT after logging why. */
#include "ipdm.h"
IPDM_DESCRIPTOR({"abi": 1, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "int64"}]}]})
IPDM_EXPORT(run) int32_t run(const ArrowArray *in) {
    int32_t n = ipdm_rows(in);
    const int64_t *x = ipdm_i64(in, 0);
    for (int32_t i = 0; i < n; i++) {
        if (x[i] < 0) {
            ipdm_log(IPDM_LOG_ERROR, "negative x");
            return IPDM_ERR_INPUT;
        }
        if (x[i] == 666) ipdm_abort("x is 666");
    }
    ipdm_out out = ipdm_out_new(1, n);
    int64_t *y = ipdm_out_i64(out, 0);
    for (int32_t i = 0; i < n; i++) y[i] = x[i] * 2;
    return ipdm_out_finish(out, n);
}
