/* Hostile: reads the clock through WASI, which would make results differ between nodes. */
#include "ipdm.h"
IPDM_DESCRIPTOR({"abi": 1, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "int64"}]}]})
__attribute__((import_module("wasi_snapshot_preview1"), import_name("clock_time_get")))
int32_t clock_time_get(int32_t id, int64_t precision, int32_t out);
IPDM_EXPORT(run) int32_t run(const ArrowArray *in) {
    int64_t *t = (int64_t *)ipdm_alloc(8);
    clock_time_get(0, 1, (int32_t)(uintptr_t)t);
    ipdm_out out = ipdm_out_new(1, ipdm_rows(in));
    int64_t *y = ipdm_out_i64(out, 0);
    for (int32_t i = 0; i < ipdm_rows(in); i++) y[i] = *t;
    return ipdm_out_finish(out, ipdm_rows(in));
}
