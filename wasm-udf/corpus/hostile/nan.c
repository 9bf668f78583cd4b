/* Hostile: returns NaNs with payloads and signs (0/0 and bit patterns); the host must canonicalize
 * them so that float output bytes are the same on every node. */
#include "ipdm.h"
IPDM_DESCRIPTOR({"abi": 1, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "float64"}]}]})
IPDM_EXPORT(run) int32_t run(const ArrowArray *in) {
    int32_t n = ipdm_rows(in);
    const int64_t *x = ipdm_i64(in, 0);
    ipdm_out out = ipdm_out_new(1, n);
    double *y = ipdm_out_f64(out, 0);
    for (int32_t i = 0; i < n; i++) {
        /* x is taken as the bits of the double: NaN payloads and signs pass through unchanged */
        __builtin_memcpy(&y[i], &x[i], 8);
    }
    return ipdm_out_finish(out, n);
}
