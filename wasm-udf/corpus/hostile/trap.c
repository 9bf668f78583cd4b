/* Hostile: divides by the input, trapping on a zero (integer division by zero traps in wasm). */
#include "ipdm.h"
IPDM_DESCRIPTOR({"abi": 1, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "int64"}]}]})
IPDM_EXPORT(run) int32_t run(const ArrowArray *in) {
    int32_t n = ipdm_rows(in);
    const int64_t *x = ipdm_i64(in, 0);
    ipdm_out out = ipdm_out_new(1, n);
    int64_t *y = ipdm_out_i64(out, 0);
    for (int32_t i = 0; i < n; i++) {
        volatile int64_t d = x[i];
        y[i] = 1000 / d;
    }
    return ipdm_out_finish(out, n);
}
