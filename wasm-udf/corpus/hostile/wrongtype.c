/* Hostile: declares a utf8 output column but writes int64 values into it. */
#include "ipdm.h"
IPDM_DESCRIPTOR({"abi": 1, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "utf8"}]}]})
IPDM_EXPORT(run) int32_t run(const ArrowArray *in) {
    int32_t n = ipdm_rows(in);
    ipdm_out out = ipdm_out_new(1, n);
    int64_t *y = ipdm_out_i64(out, 0);
    for (int32_t i = 0; i < n; i++) y[i] = ipdm_i64(in, 0)[i];
    return ipdm_out_finish(out, n);
}
